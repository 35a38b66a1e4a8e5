-- Views that answer the usual questions without joins, and what every table, view and
-- column means (read them with duckdb_tables(), duckdb_views() and duckdb_columns()).
-- Made again whenever a run opens the warehouse for writing.

CREATE OR REPLACE VIEW event_timeline AS
SELECT date_trunc('month', event_date)::DATE AS month, event_type, channel, count(*) AS events
FROM events
WHERE event_date IS NOT NULL AND date_precision IN ('day', 'month')
GROUP BY ALL;

CREATE OR REPLACE VIEW contacts AS
SELECT e.event_id, e.event_date, e.date_precision, e.event_type, e.channel,
       a.name AS a_name, a.kind AS a_kind, a.country_code AS a_country,
       b.name AS b_name, b.kind AS b_kind, b.country_code AS b_country, e.channel_basis
FROM events e
JOIN event_participants a ON a.event_id = e.event_id
JOIN event_participants b ON b.event_id = e.event_id AND a.name < b.name;

CREATE OR REPLACE VIEW event_sources AS
SELECT m.event_id, e.event_date, e.event_type, e.channel, m.doc_id, d.title, d.published_date,
       m.evidence, m.rule, m.mention_id, m.char_start, m.char_end, e.channel_basis, e.date_basis
FROM event_mentions m
JOIN events e ON e.event_id = m.event_id
JOIN documents d ON d.doc_id = m.doc_id;

CREATE OR REPLACE VIEW quote_context AS
SELECT q.quote_id, q.speaker, q.text, q.event_id, e.event_type, e.event_date, q.doc_id, d.title,
       d.published_date, q.speaker_text, q.rule, q.char_start, q.char_end
FROM quotes q
JOIN documents d ON d.doc_id = q.doc_id
LEFT JOIN events e ON e.event_id = q.event_id;

CREATE OR REPLACE VIEW figure_context AS
SELECT f.figure_id, f.value, f.unit, f.qualifier, f.text,
       CASE WHEN f.sent_start IS NOT NULL AND f.sent_end > f.sent_start
            THEN substr(d.text, f.sent_start + 1, f.sent_end - f.sent_start) END AS sentence,
       f.event_id, f.doc_id, d.published_date, d.title, f.subject, f.range_low, f.range_high, f.rule,
       f.char_start, f.char_end
FROM figures f
JOIN documents d ON d.doc_id = f.doc_id;

COMMENT ON VIEW event_timeline IS 'Events per month, type and channel: events dated to the day or the month (year-only dates left out)';
COMMENT ON COLUMN event_timeline.month IS 'first day of the month of the event';
COMMENT ON COLUMN event_timeline.event_type IS 'phone_call, meeting, multilateral_meeting, message, visit, ceremony, agreement, aid_delivery or other';
COMMENT ON COLUMN event_timeline.channel IS 'phone, video, written, in_person (said, or taken from the kind of a meeting, summit or visit: see events.channel_basis), or NULL';
COMMENT ON COLUMN event_timeline.events IS 'number of distinct events';

COMMENT ON VIEW contacts IS 'One row per pair of participants of an event, each pair once (a_name < b_name): who was in contact with whom, when and how';
COMMENT ON COLUMN contacts.event_id IS 'the event (events.event_id)';
COMMENT ON COLUMN contacts.event_date IS 'the event''s date; the first day of the period when coarser than a day';
COMMENT ON COLUMN contacts.date_precision IS 'day, month, year, or NULL when no date';
COMMENT ON COLUMN contacts.event_type IS 'phone_call, meeting, multilateral_meeting, message, visit, ceremony, agreement, aid_delivery or other';
COMMENT ON COLUMN contacts.channel IS 'phone, video, written, in_person (said by a mention, or a meeting, summit or visit not said to be held otherwise: see channel_basis), or NULL';
COMMENT ON COLUMN contacts.a_name IS 'canonical name of one participant (the alphabetically first of the pair)';
COMMENT ON COLUMN contacts.a_kind IS 'person, country or organization';
COMMENT ON COLUMN contacts.a_country IS 'ISO 3166-1 alpha-3 code of that participant''s country, nullable';
COMMENT ON COLUMN contacts.b_name IS 'canonical name of the other participant';
COMMENT ON COLUMN contacts.b_kind IS 'person, country or organization';
COMMENT ON COLUMN contacts.b_country IS 'ISO 3166-1 alpha-3 code of that participant''s country, nullable';
COMMENT ON COLUMN contacts.channel_basis IS 'text when a mention says the channel; kind when in_person is taken from the event''s kind; NULL when no channel';

COMMENT ON VIEW event_sources IS 'Every mention of an event with the document that reports it: the evidence behind each event';
COMMENT ON COLUMN event_sources.event_id IS 'the event (events.event_id)';
COMMENT ON COLUMN event_sources.event_date IS 'the event''s date, resolved over all its mentions';
COMMENT ON COLUMN event_sources.event_type IS 'the event''s type';
COMMENT ON COLUMN event_sources.channel IS 'the event''s channel';
COMMENT ON COLUMN event_sources.doc_id IS 'the reporting document (documents.doc_id)';
COMMENT ON COLUMN event_sources.title IS 'its title, nullable';
COMMENT ON COLUMN event_sources.published_date IS 'its publication date, nullable: never guessed';
COMMENT ON COLUMN event_sources.evidence IS 'the sentence or clause that reports the event';
COMMENT ON COLUMN event_sources.rule IS 'the rule that made the mention (rules.rule)';
COMMENT ON COLUMN event_sources.mention_id IS 'the mention (event_mentions.mention_id)';
COMMENT ON COLUMN event_sources.char_start IS 'start of the evidence in documents.text (Python str index)';
COMMENT ON COLUMN event_sources.char_end IS 'end of the evidence in documents.text, exclusive';
COMMENT ON COLUMN event_sources.channel_basis IS 'text when a mention says the event''s channel; kind when in_person is taken from its kind; NULL when no channel';
COMMENT ON COLUMN event_sources.date_basis IS 'text, dateline or published: where the event''s date came from';

COMMENT ON VIEW quote_context IS 'Every quote with its speaker, the event it was said at, and its document';
COMMENT ON COLUMN quote_context.quote_id IS 'the quote (quotes.quote_id)';
COMMENT ON COLUMN quote_context.speaker IS 'canonical name of who said it, NULL when the text does not say';
COMMENT ON COLUMN quote_context.text IS 'the quoted words, without the quote marks';
COMMENT ON COLUMN quote_context.event_id IS 'the event it was said at, nullable';
COMMENT ON COLUMN quote_context.event_type IS 'that event''s type, nullable';
COMMENT ON COLUMN quote_context.event_date IS 'that event''s date, nullable';
COMMENT ON COLUMN quote_context.doc_id IS 'the document (documents.doc_id)';
COMMENT ON COLUMN quote_context.title IS 'its title, nullable';
COMMENT ON COLUMN quote_context.published_date IS 'its publication date, nullable';
COMMENT ON COLUMN quote_context.speaker_text IS 'the speaker as written (he, the Chinese president), nullable';
COMMENT ON COLUMN quote_context.rule IS 'the rule that found the quote and its speaker';
COMMENT ON COLUMN quote_context.char_start IS 'start of the quoted words in documents.text';
COMMENT ON COLUMN quote_context.char_end IS 'end of the quoted words in documents.text, exclusive';

COMMENT ON VIEW figure_context IS 'Every figure with the sentence it came from and its document';
COMMENT ON COLUMN figure_context.figure_id IS 'the figure (figures.figure_id)';
COMMENT ON COLUMN figure_context.value IS 'the value, scaled (500 million is 500000000, 12.7% is 12.7)';
COMMENT ON COLUMN figure_context.unit IS 'count, percent, a currency code (USD, CNY, EUR) or a lower-case unit (km, tonne, year)';
COMMENT ON COLUMN figure_context.qualifier IS 'exact, approximate, more_than, less_than, at_least or up_to';
COMMENT ON COLUMN figure_context.text IS 'the quantity as written, qualifier and unit included';
COMMENT ON COLUMN figure_context.sentence IS 'the sentence that states it';
COMMENT ON COLUMN figure_context.event_id IS 'the event whose clause holds it, nullable';
COMMENT ON COLUMN figure_context.doc_id IS 'the document (documents.doc_id)';
COMMENT ON COLUMN figure_context.published_date IS 'its publication date, nullable';
COMMENT ON COLUMN figure_context.title IS 'its title, nullable';
COMMENT ON COLUMN figure_context.subject IS 'what is counted or measured, nullable';
COMMENT ON COLUMN figure_context.range_low IS 'the low end when the figure is a range, nullable';
COMMENT ON COLUMN figure_context.range_high IS 'the high end when the figure is a range, nullable';
COMMENT ON COLUMN figure_context.rule IS 'the rule that read the quantity';
COMMENT ON COLUMN figure_context.char_start IS 'start of the quantity in documents.text';
COMMENT ON COLUMN figure_context.char_end IS 'end of the quantity in documents.text, exclusive';
