"""Money management over the aggregated data: categories, merchants, tags, taggings, rules,
splits, repeating transactions, enhance, insights and notifications."""
