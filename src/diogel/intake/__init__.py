"""The front door: a referral about a child Diogel does not know yet, after checking for existing records."""
