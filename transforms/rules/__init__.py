"""Extraction rules as data: one YAML file per extractor, compiled by `engine`."""
from transforms.rules.engine import Hit, Rule, RuleError, RuleFile, all_rules, load, rule_files, vocabulary

__all__ = ["Hit", "Rule", "RuleError", "RuleFile", "all_rules", "load", "rule_files", "vocabulary"]
