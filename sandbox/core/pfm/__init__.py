"""Money management over the aggregated data: categories, merchants, tags, taggings, rules."""
