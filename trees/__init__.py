"""The skill library as data (YAML templates) and its schema-checked loader."""
