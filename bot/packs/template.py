"""The starter file /pack template sends: one example of every kind of entry, and it passes the checks."""

from __future__ import annotations

from typing import Final

from bot.packs.limits import LIMITS_TEXT

TEMPLATE_FILENAME: Final = "my-pack.toml"

TEMPLATE: Final = f"""\
# A content pack for this server. Change the examples, then upload it with /pack upload.
# The full format: docs/content-format.md in the bot's repository. {LIMITS_TEXT}
# Ids are slugs (lowercase letters, digits and '-') and must not be used by the shipped packs
# or by this server's other packs. Uploading a pack with the id of one of this server's packs
# replaces it (you are asked to confirm).

[pack]
id = "my-pack"
title = "My pack"
description = "What this pack is about."   # optional

# Where the facts come from. In a server pack a source is a web page (url), a title (a book, an
# episode), or a file name, each with the headline shown under the fact (a title needs none).
[[sources]]
url = "https://example.com/behind-the-scenes"
headline = "Behind the scenes of the finale"

[[sources]]
title = "The cast's podcast, episode 12"

# A fact: one to three sentences in your own words, with 1-5 topics and its sources.
[[facts]]
id = "my-first-fact"
text = "The finale was filmed over five days."
topics = ["filming"]
sources = ["https://example.com/behind-the-scenes"]

# A contested fact: the sources disagree, and the note says how.
[[facts]]
id = "my-contested-fact"
text = "The last scene was improvised."
topics = ["filming"]
sources = ["https://example.com/behind-the-scenes", "The cast's podcast, episode 12"]
contested = "The article says it was improvised; the podcast says it was scripted."

# A multiple-choice question on a fact of this pack: the answer and 1-3 wrong options.
[[questions]]
id = "q-my-first-fact"
fact = "my-first-fact"
prompt = "Over how many days was the finale filmed?"
answer = "Five"
wrong = ["Two", "Ten", "Twenty"]
accept = ["5"]                 # optional: more answers a typed guess may match
explanation = "The article says filming took five days."
difficulty = "easy"            # easy, medium or hard

# A true/false question. On a contested fact it must be about the disagreement itself.
[[questions]]
id = "q-my-contested-fact"
fact = "my-contested-fact"
prompt = "True or false: the sources agree that the last scene was improvised."
answer = "False"
wrong = ["True"]
explanation = "The article says improvised, the podcast says scripted."
difficulty = "medium"
about_dispute = true

# A question of its own, not about a fact: it names its topics. Without wrong options it is
# asked only in typed rounds (/quiz start mode:typed).
[[questions]]
id = "q-my-typed-question"
topics = ["trivia"]
prompt = "Which city is the show set in?"
answer = "Scranton"
accept = ["Scranton, Pennsylvania"]
explanation = "The show is set in Scranton, Pennsylvania."
difficulty = "hard"
"""
