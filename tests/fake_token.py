"""A made-up bot token for tests and benchmarks.

It has the shape HostConfig checks for, and is assembled at run time so that no secret scanner
mistakes a file of ours for a leaked token.
"""

FAKE_TOKEN = ".".join(("MTIzNDU2Nzg5MDEyMzQ1Njc4", "GaBcDe", "not-a-real-token-" + "x" * 20))
