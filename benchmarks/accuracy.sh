#!/usr/bin/env bash
# Print every accuracy table README quotes: the Chinese gold corpus, the modern English ToS, the
# held-out sets written for tosscan by people who never saw the rules (Chinese sets 1-7, 9 and 10, English sets 3-15),
# and CLAUDETTE (all 50 documents, and the held-out LIST_TEST_0 fold the English rules were not tuned on).
set -euo pipefail
cd "$(dirname "$0")/.."
T=${TOSSCAN:-.venv/bin/tosscan}
S=../shared/corpus
echo "== Chinese gold: $S/zh (33 documents)"
$T eval $S/zh --gold $S/zh/gold.jsonl --prefix zh-
echo; echo "== held-out Chinese set 1: benchmarks/heldout-zh"
$T eval benchmarks/heldout-zh --gold benchmarks/heldout-zh/gold.jsonl --prefix heldout- | tail -1
echo; echo "== held-out Chinese set 2 (licence-heavy): benchmarks/heldout2-zh"
$T eval benchmarks/heldout2-zh --gold benchmarks/heldout2-zh/gold.jsonl --prefix heldout2- | tail -1
echo; echo "== held-out set 3, Chinese (AI-era wording, lists, feedback, promises): benchmarks/heldout3-zh"
$T eval benchmarks/heldout3-zh --gold benchmarks/heldout3-zh/gold.jsonl --prefix heldout3- | tail -1
echo; echo "== held-out set 4, Chinese (read since 2026-12-02 14:05): benchmarks/heldout4-zh"
$T eval benchmarks/heldout4-zh --gold benchmarks/heldout4-zh/gold.jsonl --prefix heldout4- | tail -1
echo; echo "== held-out set 5, Chinese (unseen: nobody has read its errors): benchmarks/heldout5-zh"
$T eval benchmarks/heldout5-zh --gold benchmarks/heldout5-zh/gold.jsonl --prefix heldout5- | tail -1
echo; echo "== held-out set 6, Chinese (unseen: nobody has read its errors): benchmarks/heldout6-zh"
$T eval benchmarks/heldout6-zh --gold benchmarks/heldout6-zh/gold.jsonl --prefix heldout6- | tail -1
echo; echo "== held-out set 7, Chinese (unseen; large-platform drafting): benchmarks/heldout7-zh"
$T eval benchmarks/heldout7-zh --gold benchmarks/heldout7-zh/gold.jsonl --prefix heldout7- | tail -1
echo; echo "== held-out set 9, Chinese (unseen; communities, notes, microblog, AI portraits, game workshop): benchmarks/heldout9-zh"
$T eval benchmarks/heldout9-zh --gold benchmarks/heldout9-zh/gold.jsonl --prefix heldout9- | tail -1
echo; echo "== held-out set 10, Chinese (unseen; notes + AI assistant, illustration, short video + digital humans, LLM chat/painting, web novels + audiobooks): benchmarks/heldout10-zh"
$T eval benchmarks/heldout10-zh --gold benchmarks/heldout10-zh/gold.jsonl --prefix zh-h10- | tail -1
echo; echo "== English modern platform ToS 2025-2026: $S/en/modern (10 documents)"
$T eval $S/en/modern --gold $S/en/modern/gold.jsonl
echo; echo "== held-out set 3, English: benchmarks/heldout3-en"
$T eval benchmarks/heldout3-en --gold benchmarks/heldout3-en/gold.jsonl --prefix heldout3- | tail -1
echo; echo "== held-out set 4, English (read since 2026-12-02 14:05): benchmarks/heldout4-en"
$T eval benchmarks/heldout4-en --gold benchmarks/heldout4-en/gold.jsonl --prefix heldout4- | tail -1
echo; echo "== held-out set 5, English (unseen): benchmarks/heldout5-en"
$T eval benchmarks/heldout5-en --gold benchmarks/heldout5-en/gold.jsonl --prefix heldout5- | tail -1
echo; echo "== held-out set 6, English (read since 2026-12-02 16:36): benchmarks/heldout6-en"
$T eval benchmarks/heldout6-en --gold benchmarks/heldout6-en/gold.jsonl --prefix heldout6- | tail -1
echo; echo "== held-out set 7, English (unseen; drafted like large real platforms): benchmarks/heldout7-en"
$T eval benchmarks/heldout7-en --gold benchmarks/heldout7-en/gold.jsonl --prefix heldout7- | tail -1
echo; echo "== held-out set 8, English (large-platform drafting; a development set, read since 17:18): benchmarks/heldout8-en"
$T eval benchmarks/heldout8-en --gold benchmarks/heldout8-en/gold.jsonl --prefix heldout8- | tail -1
echo; echo "== held-out set 9, English (plain and legalese drafting; a development set, read since 20:41): benchmarks/heldout9-en"
$T eval benchmarks/heldout9-en --gold benchmarks/heldout9-en/gold.jsonl --prefix heldout9- | tail -1
echo; echo "== held-out set 10, English (five drafting styles; a development set, read since 21:28): benchmarks/heldout10-en"
$T eval benchmarks/heldout10-en --gold benchmarks/heldout10-en/gold.jsonl --prefix heldout10- | tail -1
echo; echo "== held-out set 11, English (unseen; chat, bookmarks, 3D assets, running, art commissions): benchmarks/heldout11-en"
$T eval benchmarks/heldout11-en --gold benchmarks/heldout11-en/gold.jsonl --prefix heldout11- | tail -1
echo; echo "== held-out set 12, English (unseen; short video, stock music, Q&A, art prints): benchmarks/heldout12-en"
$T eval benchmarks/heldout12-en --gold benchmarks/heldout12-en/gold.jsonl --prefix heldout12- | tail -1
echo; echo "== held-out set 15, English (chat + bots, moodboards, 3D-asset marketplace, running app, art portfolio; a development set, read since 2026-12-03 03:39): benchmarks/heldout15-en"
$T eval benchmarks/heldout15-en --gold benchmarks/heldout15-en/gold.jsonl --prefix heldout15- | tail -1
echo; echo "== held-out set 13, English (unseen; large-platform legalese: social + AI assistant, video + AI dubbing, creative software, forum licensing to AI firms, AI companion): benchmarks/heldout13-en"
$T eval benchmarks/heldout13-en --gold benchmarks/heldout13-en/gold.jsonl --prefix heldout13- | tail -1
echo; echo "== held-out set 14, English (unseen; comics co-op, UK merch, text-to-image, stock photos page, EU language app): benchmarks/heldout14-en"
$T eval benchmarks/heldout14-en --gold benchmarks/heldout14-en/gold.jsonl --prefix heldout14- | tail -1
echo; echo "== CLAUDETTE: $S/en/claudette (50 documents)"
$T eval $S/en/claudette --corpus claudette
echo; echo "== CLAUDETTE held-out fold LIST_TEST_0 (10 documents)"
$T eval $S/en/claudette --corpus claudette --docs @$S/en/claudette/LIST_TEST_0.txt | tail -1
echo; echo "== CLAUDETTE-style blind set (six invented ToS tagged in CLAUDETTE format; a development set, read since 2026-12-03 03:08): benchmarks/heldout-claudette"
$T eval benchmarks/heldout-claudette --corpus claudette | tail -1
echo; echo "== real ToS labelled blind for licence/AI/IP (nine CLAUDETTE documents; a development set, read since 03:14): benchmarks/real-en"
python3 benchmarks/real_en.py | tail -1
