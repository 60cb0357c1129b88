"""WhoSaid: a claim-attribution desk for newsrooms."""
