"""Server packs: checking an upload, the limits, and each server's own view of the content."""
