"""mtwatch item pipelines and their pure cores: cleaning, matching, storage, alerts."""
