"""Text, before and after the engine: normalisation, sentences, index terms, the collection's words.

``normalize`` (clean text, folded punctuation), ``sentences`` (boundaries that know "Ms." and
"U.S."), ``analysis`` (the index terms every engine indexes and every query is analysed into),
``porter`` and ``accents`` (its stemmer and accent table), ``vocabulary`` (words and counts).
"""
