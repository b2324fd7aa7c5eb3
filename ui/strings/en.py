"""English interface strings. Every key here must exist in ``zh.py`` too (a test checks)."""

STRINGS = {
    # navigation and sidebar
    "nav.home": "Home",
    "nav.step": "Step through",
    "nav.masking": "Masking",
    "nav.alignment": "Alignment map",
    "nav.scores": "Score functions",
    "nav.pitfalls": "Pitfalls",
    "sidebar.language": "Language",
    "sidebar.present": "Presenter mode",
    "sidebar.present_help": "A slide deck for a projector: large type, no sidebar, a QR code for the room. "
    "Next: → PageDown Space (most clickers); back: ← PageUp.",
    # home
    "home.title": "Attention Explorer",
    "home.tagline": "Bahdanau (additive) attention, one equation at a time, on the live tensors of a real model.",
    "home.equations": "The four equations",
    "home.start": "Where to start",
    "home.open": "Open",
    "home.card.step": "Walk through e → α → c → y for one output word, with every number on screen.",
    "home.card.masking": "Pad a batch and see what a missing or wrong mask leaks onto padding.",
    "home.card.alignment": "The whole α matrix of a translation, and how it emerged during training.",
    "home.card.scores": "Five models trained with additive, dot, general, scaled dot and location scores: "
    "where each looks, and its alignment error rate.",
    "home.card.pitfalls": "The classic bugs, run live next to the correct computation.",
    # inputs
    "input.sentence": "Sentence",
    "input.sentence_help": "Toy model: English from the toy lexicon, e.g. “the big red car sees a small dog”. "
    "Free text: anything, in any script.",
    "input.source": "Model",
    "input.source.toy": "Trained toy model",
    "input.source.free": "Free text (untrained)",
    "input.target": "Target translation (optional: where does the model look for this translation?)",
    "input.target_help": "Leave empty for the model's own translation. A French sentence here is forced "
    "word by word (teacher forcing).",
    "input.random": "Random toy sentence",
    "input.random_help": "A new sentence drawn from the toy grammar: every word is one the model knows.",
    "words.title": "The words the toy model knows",
    "words.intro": "The trained model reads only these English words; any other word becomes its unknown "
    "token. A sentence is a noun phrase, a verb and a noun phrase, optionally followed by a preposition and a "
    "third noun phrase. A noun phrase is a determiner, up to two adjectives (at most one of each kind) and a "
    "noun. Plural nouns take “the” and a plural verb; “a” becomes “an” before a vowel.",
    "words.class.determiner": "determiners",
    "words.class.noun": "nouns",
    "words.class.pre-adjective": "adjectives (before the noun in French)",
    "words.class.post-adjective": "adjectives (after the noun in French)",
    "words.class.verb": "verbs",
    "words.class.preposition": "prepositions",
    "words.class.conjunction": "conjunctions",
    "spinner.model": "Loading the model (TensorFlow) …",
    # notices
    "notice.bad_param": "The link's value {name}={value} makes no sense here; showing the default ({default}).",
    "notice.bad_model": "The link's model={value} is no model you can open here: a model trained on the Train page is "
    "private to the browser session that trained it until the server's operator publishes it, and a deleted one is "
    "gone. Showing {default}.",
    "notice.empty_text": "Type a sentence to see its attention.",
    "notice.no_tokens": "This text has no words to attend to (only spaces, punctuation or symbols).",
    "notice.truncated": "The text was long: only its first {n} tokens are used.",
    "notice.free_text": "Free text runs through the same architecture with seeded, **untrained** weights: "
    "the arithmetic is real, the meaning and the output words are not.",
    "notice.unknown": "Not in the toy lexicon, read as the unknown token: {words}. Switch to free text for any words.",
    "notice.outside": "Every word is in the toy lexicon, but the toy grammar never makes this sentence: it has "
    "no reference translation, and the model, trained only on sentences of the toy language, is guessing.",
    "notice.unknown_target": "Not in the model's French vocabulary, fed to the decoder as the unknown token: {words}.",
    "ref.agrees": "A sentence of the toy language. Its reference translation is {reference}: the model's "
    "translation agrees word for word, and its attention peaks on the gold source word for {hits} of {total} words.",
    "ref.agrees_words": "A sentence of the toy language. Its reference translation is {reference}: the model's "
    "translation agrees word for word.",
    "ref.differs": "A sentence of the toy language. Its reference translation is {reference}: the translation "
    "here differs from it in {n} words, so its attention is not matched with the gold alignment. Type the "
    "reference as the target to see where the model looks for it.",
    "ref.table": "Reference and gold alignment, word by word",
    "ref.col.k": "word",
    "ref.col.reference": "reference",
    "ref.col.gold": "gold source word",
    "ref.col.model": "model's word",
    "ref.col.looks": "α peaks on",
    "ref.col.agree": "agree",
    "notice.step_clamped": "Step {step} does not exist in this translation; showing the last step ({n}).",
    # step-through page
    "step.title": "Step through one decoder step",
    "step.source": "Source:",
    "step.output": "Output:",
    "step.forced": "Forced decoding: each step is fed your target word, not the model's choice.",
    "step.previous": "◀ Previous",
    "step.next": "Next ▶",
    "step.decoder_step": "Decoder step i (the output word it produces)",
    "step.equation": "Equation",
    "step.entry_j": "Source word j for the numbers",
    "step.entry_a": "Dimension for the numbers",
    "step.shape": "Shape: {shape}",
    "step.downloads": "Download this step: figure (PNG, SVG), table (CSV), tensors (NPZ), all figures (ZIP)",
    "step.code": "The code that computed these numbers",
    "step.where": "**i = {i} →** {word} · equation {eq} of {n}",
    "step.walk_one": "This equation only",
    "step.walk_one_help": "Next and Previous keep this equation and move to the next or previous output word.",
    "step.keys": "Keys: → PageDown Space next, ← PageUp back (not while typing).",
    "present.share": "Share",
    "present.loopback": "This link names {host}, this computer's own address: phones in the room cannot open it. "
    "To serve the room, start the app with `streamlit run serving/asgi.py --server.address 0.0.0.0` "
    "and open it at one of "
    "this machine's addresses: {addresses}. Then Share gives the room that address.",
    "present.loopback_open": "This link names {host}, this computer's own address: phones in the room cannot open it. "
    "The server listens on every address: open the app at one of this machine's addresses, {addresses}, and Share "
    "gives the room that address.",
    "present.no_addresses": "this machine reports no network address (is it connected?)",
    "present.open_link": "Open the audience's view",
    "talk.back": "◀ Page",
    "talk.next": "Page ▶",
    "slide.where": "slide {k}/{n}",
    "slide.back_help": "The previous slide (PageUp)",
    "slide.next_help": "The next slide (PageDown)",
    "talk.where": "{k} / {n}",
    "talk.back_help": "The talk's previous page: {page} (PageUp on this page's first screen)",
    "talk.next_help": "The talk's next page: {page} (PageDown on this page's last screen)",
    "talk.enter": "Talk ▶",
    "talk.enter_help": "This page is not in the talk: open the talk's first page, {page} "
    "(PageDown on this page's last screen)",
    "present.exit": "Exit",
    "present.qr_alt": "QR code of the link below, to this screen",
    "present.share_caption": "Scan to open this screen on your phone, or copy the link.",
    "eq.c.shape": "cᵢ: {c}. The table: {table} (one row αᵢⱼ hⱼ per source word, then their sum)",
    "export.zip": "All figures as ZIP",
    "eq.keys.name": "W₁ hⱼ",
    "eq.query.name": "W₂ sᵢ₋₁",
    "eq.tanh.name": "tanh(W₁ hⱼ + W₂ sᵢ₋₁ + b)",
    "eq.e.name": "eᵢⱼ = vᵀ tanh(…)",
    "eq.alpha.name": "αᵢⱼ = softmax(eᵢⱼ)",
    "eq.c.name": "cᵢ = Σ αᵢⱼ hⱼ",
    "eq.y.name": "yᵢ = g(sᵢ₋₁, cᵢ)",
    "eq.keys.explain": "Each encoder state hⱼ is projected into the attention space. It does not depend on the "
    "decoder step, so it is computed once per sentence.",
    "eq.query.explain": "The query: the decoder state before this word, projected into the same space.",
    "eq.tanh.explain": "Query and keys meet: added, shifted by b, squashed by tanh into (−1, 1).",
    "eq.e.explain": "v turns each word's vector into one score: how well that source word fits this step.",
    "eq.alpha.explain": "Softmax turns the scores into weights ≥ 0 that sum to 1 over the source words. "
    "Subtracting the maximum m first changes nothing but keeps exp from overflowing.",
    "eq.c.explain": "The context is the weighted average of the encoder states: each row below is one αᵢⱼ hⱼ "
    "term, the last row their sum.",
    "eq.y.explain": "The output layer reads the query and the context and gives a distribution over the words "
    "of the output vocabulary; the decoder then takes the chosen word into its next state.",
    "eq.keys.chart": "W₁ hⱼ for every source word",
    "eq.query.chart": "W₂ sᵢ₋₁",
    "eq.tanh.chart": "tanh(W₁ hⱼ + W₂ sᵢ₋₁ + b)",
    "eq.e.chart": "Scores eᵢⱼ",
    "eq.alpha.chart": "Attention weights αᵢⱼ",
    "eq.c.chart": "Terms αᵢⱼ hⱼ and their sum cᵢ",
    "eq.y.chart": "Most likely output words",
    "eq.y.word": "word",
    "eq.tanh.fact": "Share of saturated entries (|tanh| > 0.99): {share:.1%}",
    "eq.e.fact": "Highest score at “{word}”.",
    "eq.alpha.fact": "Σⱼ αᵢⱼ = {total}",
    "eq.c.fact": "Largest gap between the summed terms and the model's cᵢ: {gap}",
    "eq.y.fact": "Chosen: “{chosen}” (the model's most likely word: “{predicted}”).",
    "axis.source": "source word j",
    "axis.value": "value",
    "axis.dim": "dimension",
    "axis.output": "output word i",
    "axis.space.a": "attention space a ({n} units)",
    "axis.space.d": "encoder space d ({n} units)",
    "eq.space.a": "a1…a{d_a}: the attention space. W₁ and W₂ map hⱼ ({d_h} units) and sᵢ₋₁ ({d_s}) "
    "to d_a = {d_a} units, a size the score chooses.",
    "eq.space.d": "d1…d{d_h}: the encoder space of hⱼ. cᵢ is a weighted sum of the hⱼ, so it keeps their "
    "{d_h} units, not the {d_a} of a1…a{d_a}.",
    # figures and exports
    "figure.image_caption": "Drawn as an image: too many cells for an interactive chart. The table has every value.",
    "export.png": "Figure as PNG",
    "export.svg": "Figure as SVG",
    "export.csv": "Table as CSV",
    "export.npz": "Step tensors as NPZ",
    "export.about": "Sentence: {sentence}",
    "export.about_step": "Sentence: {sentence}\nstep {i} → {word}",
    "export.about_i": "Sentence: {sentence}\nstep {i}",
    # masking page
    "mask.title": "Masking: what padding does to attention",
    "mask.batch": "Sentences of the batch, one per line (1 to 4; an empty line is a fully padded row)",
    "mask.batch_help": "Shorter sentences are padded to the longest one (or to the padded length).",
    "mask.pad_to": "Padded length",
    "mask.strategy": "Mask strategy, shown beside no mask (no mask itself: beside the correct mask)",
    "mask.strategy.none": "no mask",
    "mask.strategy.correct": "correct mask",
    "mask.strategy.neg_inf": "fill with −∞",
    "mask.strategy.large_negative": "fill with −1e9",
    "mask.strategy.min_fill": "fill with the minimum score (the article's code)",
    "mask.strategy_explain.none": "The mask is ignored: padding gets weight like any word.",
    "mask.strategy_explain.correct": "Masked positions get α exactly 0; a fully padded row gets α = 0 and c = 0.",
    "mask.strategy_explain.neg_inf": "Correct on a row with a real word; NaN on a fully padded row "
    "(exp(−∞ − (−∞))). Shown as a demonstration.",
    "mask.strategy_explain.large_negative": "Correct on a row with a real word; uniform weights on a fully padded row.",
    "mask.strategy_explain.min_fill": "tf.where(mask, score, tf.reduce_min(score)): padding keeps the lowest "
    "score's weight, which is not zero.",
    "mask.step": "Decoder step i",
    "mask.bad_batch": "The batch needs 1 to 4 lines; using the first 4.",
    "mask.row": "Row",
    "mask.real_tokens": "words",
    "mask.leak": "α on pad",
    "mask.delta_c": "‖Δc‖",
    "mask.word": "output",
    "mask.word_changed": "changed",
    "mask.nan": "NaN",
    "mask.side_left": "Without a mask",
    "mask.side_right": "With: {strategy}",
    "mask.alpha_chart": "α over the padded batch, step {step}",
    "mask.invariance": "Padding invariance",
    "mask.invariance_text": "With the correct mask, row {row} gives the same context alone and padded to "
    "{length}, up to float32 rounding: ‖c_alone − c_padded‖ = {gap}",
    "mask.fully_padded": "Row {row} is fully padded.",
    "mask.no_steps": "No decoder step reached for this batch.",
    "mask.real_tokens_help": "Real tokens in the row; the rest of the row is padding.",
    "mask.leak_help": "Σ α over the padding positions of the row: 0 when the mask works.",
    "mask.delta_c_help": "‖c − c_correct‖: how far this context is from the one the correct mask gives.",
    "mask.word_help": "The word the decoder picks at this step with this context; “≠ w” when the correct mask picks w.",
    "mask.word_end": "(end of sentence)",
    "mask.word_none": "— (none)",
    "mask.undefined": "NaN",  # short: a cell never cuts it; the page explains it below the table
    "mask.position_only": "position j",
    "mask.position": "position j (each cell shows its row's word)",
    "mask.pad_word": "pad",
    "mask.go_step": "Go to step {step}",
    "mask.nan_rows": "α is NaN (not a number) in row {rows}: see why below the table.",
    "mask.story.nan": "Every score of the row is −∞, so softmax computes exp(−∞ − (−∞)) = exp(NaN): "
    "α and c are NaN (drawn red), and a NaN spreads to everything computed from it.",
    "mask.story.zero": "The mask sets every α of the row to 0, so c = 0 (‖c‖ = {norm}): nothing is read.",
    "mask.story.uniform": "All {T} scores of the row are equal, so softmax gives every padding position "
    "α = 1/{T} = {each}: α on padding = 1. The encoder skips padding, so the states it averages are zero "
    "vectors (‖h‖ = {h}): c = 0 (‖c‖ = {norm}) and ‖Δc‖ = 0, although all the weight is on padding.",
    "mask.story.other": "All the weight of the row is on padding (α on padding = {leak}). The encoder skips "
    "padding, so those states are zero vectors (‖h‖ = {h}): ‖c‖ = {norm}.",
    "mask.leak_here": "At step {step}, the step shown, padding takes the most weight without a mask in row {row}: "
    "α on padding = {leak}.",
    "mask.leak_most": "Over all steps, the most is in row {row} at step {step} (α on padding = {leak}).",
    "mask.word_story": "Row {row} writes “{word}” where the correct mask writes “{reference}”: {leak} of its α is on "
    "padding, so its context c is ‖Δc‖ = {delta} away from the correctly masked one. The output word is read from "
    "the context (yᵢ = g(sᵢ₋₁, cᵢ)): another context, another word.",
    "mask.word_story_state": "Its decoder state differs too (‖Δs‖ = {delta}): the words and contexts of the earlier "
    "steps were already different.",
    # alignment page
    "align.title": "Alignment map",
    "align.snapshot": "Training progress",
    "align.snapshot_label": "after {pairs} sentence pairs",
    "align.untrained": "untrained",
    "align.final": "final",
    "align.heatmap": "α: rows are output words, columns source words",
    "align.open_row": "Open this output word in the step-through page",
    "align.open": "Open step",
    "align.reference": "Reference alignment (from the toy grammar): {hits} of {total} output words look "
    "hardest at the word they translate.",
    "align.determiner_note": "Misses are French determiners looking at the noun: gender and number come from the noun.",
    "align.no_reference": "This sentence is not in the toy grammar, so there is no reference alignment.",
    "align.not_reference": "No reference line at this point of training: the model translates “{got}”, not the "
    "grammar's “{reference}”, so its words cannot be matched one to one with the reference alignment. Force the "
    "reference translation to see where this model looks for it.",
    "align.force_reference": "Force the reference translation",
    "align.gif": "Training as an animated GIF",
    "align.gif_help": "The α matrix of this sentence at each of the {n} points of training, untrained to final, "
    "one frame each.",
    "align.map_title": "α: {when}",
    "align.gold": "reference alignment (toy grammar)",
    "align.picture_note": "{rows} × {cols} cells: too many to draw one by one, so they are one picture under the "
    "word axes. Read a cell's value from the colour scale.",
    # score functions page
    "score.title": "Score functions side by side",
    "score.compare": "Compared with additive",
    "score.name.additive": "additive (Bahdanau)",
    "score.name.dot": "dot (Luong)",
    "score.name.general": "general (Luong)",
    "score.name.scaled_dot": "scaled dot-product",
    "score.name.location": "location (Luong)",
    "score.view.trained": "Trained models",
    "score.view.same_states": "Same states, other scores",
    "score.view": "View",
    "score.trained_intro": "Five models with the same encoder, decoder, sizes, data, recipe and seed: only the "
    "score differs. Each was trained with its own score, so each learned its own states.",
    "score.toy_only": "The trained models know the toy vocabulary only, so this view translates the toy sentence.",
    "score.slide_window": "Source words {first}–{last} of {n}: where the additive model looks at this step.",
    "score.step_alpha": "α at step {i}, each trained model",
    "score.step_table_word": "Word at step {i}",
    "score.translation": "Translation",
    "score.matches_reference": "matches the reference",
    "score.short.additive": "additive",
    "score.short.dot": "dot",
    "score.short.general": "general",
    "score.short.scaled_dot": "scaled dot",
    "score.short.location": "location",
    "score.right_words": "{right} of {total} reference words in place",
    "score.no_reference": "outside the toy grammar: no reference",
    "score.maps": "Each model's own α",
    "score.map_title": "α, {name}",
    "score.map_image": "Drawn as an image: too many cells for an interactive chart. Rows are the output words, "
    "top to bottom; columns the source words, left to right; brighter is more weight.",
    "score.table6": "Luong et al. 2015, Table 6, reproduced with the rows it lacks",
    "score.table6_caption": "Ours: {n:,} held-out toy sentences ({long:,} of them 50+ tokens), AER with one link per "
    "reference word (its α's argmax, the reference forced through the decoder), as Luong et al. measure it. "
    "Theirs: English–German Europarl, 508 sentences with human alignments, not our task; they report no AER "
    "for dot or additive (“concat”). Training: wall clock, with the CPU time of the run.",
    "score.col.model": "model",
    "score.col.data": "data",
    "score.col.exact": "exact match",
    "score.col.alignment": "alignment accuracy",
    "score.col.aer": "AER",
    "score.col.entropy": "entropy of α (nats)",
    "score.col.training": "training",
    "score.data.ours": "toy EN→FR",
    "score.data.luong": "Europarl EN→DE (Luong et al.)",
    "score.training_time": "{minutes:.1f} min ({cpu:.0f} CPU s)",
    "score.aer_by_length": "AER by sentence length",
    "score.axis.bucket": "source length (tokens)",
    "score.axis.aer": "AER (lower is better)",
    "score.aer_caption": "Each point is one length bucket of the held-out sentences, from the evaluation file.",
    "score.shapes.additive": "W₁ (d_h × d_a), W₂ (d_s × d_a), b and v (d_a): any d_h, d_s.",
    "score.shapes.dot": "Needs d_s = d_h: sᵢ₋₁ and hⱼ must live in one space.",
    "score.shapes.general": "W_a (d_h × d_s) projects the query, so d_s ≠ d_h is fine.",
    "score.shapes.scaled_dot": "Needs d_s = d_h; dividing by √d_h keeps scores from growing with the size.",
    "score.projection": "Here d_s = {d_s} and d_h = {d_h}, so dot and scaled dot apply to sᵢ₋₁ and hⱼ directly. "
    "When d_s ≠ d_h, a projection W_a (d_h × d_s) makes the product possible: that is the general score. "
    "Here W_a = W₁ W₂ᵀ, built from the trained attention (rank ≤ d_a = {d_a}).",
    "score.alpha": "α per score function",
    "score.difference": "α({other}) − α(additive)",
    "score.argmax": "Looks hardest at",
    "score.word": "Output word with this context",
    "score.tv": "Total variation from additive",
    "score.column": "score",
    "score.untrained": "Only the additive score was trained ({model}). Dot, general and scaled dot-product "
    "run here **untrained**, on encoder and decoder states that were trained for the additive score: where "
    "they disagree with it, that is a fact about these states, not about those scores.",
    # pitfalls page
    "pit.title": "Pitfalls: classic attention bugs, live",
    "pit.choose": "Bug",
    "pit.buggy": "Buggy",
    "pit.correct": "Correct",
    "pit.fix": "The one-line fix",
    "pit.error": "The error a person gets",
    "pit.name.softmax_axis": "softmax over a size-1 axis",
    "pit.name.min_fill": "mask by the minimum score",
    "pit.name.neg_inf": "−∞ on a fully masked row",
    "pit.name.large_negative": "large negative on a fully masked row",
    "pit.name.no_time_axis": "query without a time axis",
    "pit.name.integer_inputs": "integer inputs in the weighted sum",
    "pit.explain.softmax_axis": "Scores from Dense(1) have shape (batch, T_x, 1). softmax(axis=−1) normalises "
    "over that size-1 axis: every weight is 1 and the context is the plain sum of the encoder states.",
    "pit.explain.min_fill": "Filling masked scores with the minimum score leaves them a weight of "
    "exp(min − max)/Σ, not zero: padding leaks into the context.",
    "pit.explain.neg_inf": "−∞ works while a row has a real token. On a fully masked row every score is −∞ "
    "and softmax computes −∞ − (−∞) = NaN, which then spreads.",
    "pit.explain.large_negative": "A large negative fill avoids NaN, but a fully masked row gets uniform "
    "weights: its context is the average of padding.",
    "pit.explain.no_time_axis": "W₂ s has shape (batch, d_a); added to W₁ h (batch, T_x, d_a) without [:, None, :] "
    "it broadcasts against the time axis. When batch = T_x nothing fails and the scores are silently wrong.",
    "pit.explain.integer_inputs": "Token ids used as states are integers; multiplying float weights by them "
    "fails with a dtype error.",
    "pit.alpha": "α",
    "pit.context": "c",
    "pit.same": "Buggy and correct agree here.",
    "pit.differs": "Largest difference between buggy and correct α: {gap}",
    "pit.differs_nan": "The buggy α is NaN (not a number) in row {rows}, so no difference exists there: "
    "the bug breaks that row completely. On the other rows the largest difference is {gap}.",
    "pit.raises": "The buggy version raises {error}: it computes no α and no context, so there is nothing to "
    "compare; only the fix runs.",
    "pit.raises_after_alpha": "α is the same on both sides (it is computed before the buggy line), but the "
    "buggy line raises {error}: there is no context c, so the model cannot go on.",
    "pit.not_comparable": "Buggy and correct α have different shapes here, so they cannot be compared entry by entry.",
    "pit.nan_rows": "α is NaN (not a number) in row {rows}.",
    "pit.no_context": "No context c: the buggy line raises {error}.",
    "pit.batch_eq_time": "Batch of {batch} = T_x: the bug is silent.",
    "pit.batch_ne_time": "Batch of {batch} ≠ T_x = {T_x}: the bug raises.",
    "pit.sentence_note": "Encoder states and the first decoder state s₀ of the trained model, on the batch of "
    "the Masking page (one sentence per row).",
    # why-attention page
    "nav.why": "Why attention",
    "why.title": "Why attention: the bottleneck",
    "why.intro": "An encoder–decoder without attention must squeeze the whole sentence into one fixed-size "
    "vector, the encoder's last state, and read everything from it. Bahdanau, Cho and Bengio (2014) showed "
    "that such a model loses accuracy as sentences grow, while one with attention does not. Here both are "
    "trained on the same toy sentences, 1 to 4 clauses joined by “and” (5 to 59 words), with the same "
    "encoder, decoder and sizes; the only difference is what the decoder reads at each step.",
    "why.curve": "Exact match by sentence length",
    "why.curve_caption": "{n} held-out sentences never seen in training; exact match = the whole translation "
    "right, word for word. Measured by `python -m attention_core.evaluate`.",
    "own.why_curve_caption": "{n} held-out pairs of {name}'s data, never trained on; exact match = the whole "
    "translation right, word for word. Measured when each was trained (`python -m attention_core.train --data … "
    "--baseline`); again with `python -m attention_core.evaluate --rescore {name}`.",
    "why.axis.length": "sentence length (words)",
    "why.axis.exact": "exact match",
    "why.axis.ms": "milliseconds per sentence",
    "why.axis.model": "model",
    "why.model.attention": "with attention",
    "why.model.no_attention": "without attention (one fixed vector)",
    "why.col.bucket": "length",
    "why.col.sentences": "sentences",
    "why.col.exact": "exact match",
    "why.col.words": "word accuracy",
    "why.col.alignment": "alignment",
    "why.col.ms": "ms per sentence",
    "why.compare": "One long sentence, both models",
    "why.input_help": "A long toy sentence: clauses like “the cat sees a dog” joined by “and”, up to four.",
    "why.reference": "Reference (from the toy grammar)",
    "why.right_words": "{right} of {total} words right",
    "why.no_reference": "This sentence is not in the toy grammar (up to four clauses joined by “and”), so "
    "there is no reference to mark wrong words against.",
    "why.wrong_note": "Wrong words are marked in red; a dot stands for a missing word.",
    "why.alpha": "Where the model with attention looks",
    "why.alpha_window": "Output words {rows} and source words {columns} of the sentence: one slide of its map.",
    "why.alpha_title": "α: output words i × source words j",
    "why.alpha_note": "Each clause's words look at their own clause: the decoder does not need the whole "
    "sentence in one vector, it reads the part it is translating.",
    "why.cost": "The cost: milliseconds per sentence against length",
    "why.cost_caption": "One translation at a time on this machine, each dot a sentence (the fastest of 5 runs), "
    "every step's tensors kept as the pages keep them. Both models emit one word per step, so both grow with "
    "length; attention adds a score for each of the T_x source words at every step.",
    "why.no_alignment": "n/a",
    "why.alignment_help": "The model without attention has no α, so it has no alignment: n/a.",
    # what if: interventions on the live model
    "nav.whatif": "What if",
    "home.card.whatif": "Override α, pick another word, swap a source word "
    "or search with a beam, and watch what follows.",
    "whatif.title": "What if: change one thing and watch what follows",
    "whatif.view": "Intervention",
    "whatif.view.override": "Override α",
    "whatif.view.pick": "Pick a word",
    "whatif.view.swap": "Swap a source word",
    "whatif.view.beam": "Beam search",
    "whatif.beam": "Beam width",
    "whatif.beam_help": "1 is greedy: the most likely word at every step. Wider keeps that many partial "
    "translations per step and returns the best by log P / words.",
    "whatif.bad_pick": "The link picks “{word}” at step {step}, a word this model cannot write: that pick and "
    "the later ones are left out.",
    "whatif.bad_override": "The link's override “{value}” does not fit this sentence of {n} words: the model's "
    "own attention is shown.",
    "whatif.pick_dropped": "The pick “{word}” at step {step} comes after the sentence has ended: it and the later "
    "picks are left out.",
    "whatif.override_past_end": "The override is for step {step}, but this translation has {n} steps: the "
    "model's own attention is shown.",
    "whatif.target_fixes": "A target translation fixes every word: picks and the beam apply once the target box is "
    "empty.",
    "whatif.candidates": "**Top 5 at i = {i}** (click to pick):",
    "whatif.candidate_help": "Continue the sentence from “{word}” (P = {p}); every later step is recomputed.",
    "whatif.undo": "Undo pick",
    "whatif.picked_here": "“{word}” is picked here; the model's own word was “{own}”.",
    "whatif.picked_mark": "picked",
    "whatif.step_overridden": "α at step {i} is overridden: e is the model's own, α′ "
    "is yours, and everything after it follows from α′.",
    "whatif.baseline": "Beside the model without attention",
    "whatif.baseline_help": "The baseline trained beside this model: its decoder sees one fixed summary of the "
    "sentence (←h_1) at every step. Fed the same words, compare the same step.",
    "whatif.baseline_title": "**The same step i = {i} without attention** (both fed the same earlier words)",
    "whatif.baseline_column": "**{name}** · context {c} · picks “{word}”",
    "whatif.baseline_contexts": "c_{i} with attention and the baseline's fixed ←h_1",
    "whatif.with_attention": "With attention",
    "whatif.without_attention": "Without attention",
    "whatif.own": "model's own",
    "whatif.given": "override",
    "whatif.alpha_chart": "α′ (override) beside the model's own α",
    "whatif.alpha_fact": "α′ is the weights you gave, divided by their sum: Σ_j "
    "α′ = {total}. The model's own α is softmax(e).",
    "whatif.override_mode": "α at this step",
    "whatif.mode.own": "model's own",
    "whatif.mode.word": "all on one word",
    "whatif.mode.uniform": "uniform",
    "whatif.mode.typed": "typed weights",
    "whatif.click_word": "Put all of α on one source word while writing “{word}”:",
    "whatif.typed": "Weights, one per source word, separated by commas (renormalised to sum to 1)",
    "whatif.typed_error": "Type {n} numbers, none negative and not all zero, separated by commas: the override "
    "was not changed.",
    "whatif.override_none": "Choose how to replace α at this step: all on one word (click it), uniform, or "
    "weights you type.",
    "whatif.alpha_title": "α at i = {i}: the model's own and the override",
    "whatif.alpha_note": "α′ renormalised: Σ_j α′ = {total}.",
    "whatif.context_gap": "‖c′_{i} − c_{i}‖ = {gap}.",
    "whatif.y_title": "P(y_{i}): the model's own and with α′",
    "whatif.y_note": "At i = {i} the model writes “{before}”; with α′ it writes “{after}”.",
    "whatif.c_title": "c_{i} (model's own α) and c′_{i} (α′)",
    "whatif.own_sentence": "Model's own:",
    "whatif.new_sentence": "With α′:",
    "whatif.picked_sentence": "With your picks:",
    "whatif.swapped_sentence": "Swapped:",
    "whatif.same": "The translation is the same.",
    "whatif.changed": "{n} of {after} words are new or replaced (highlighted); the model's own has {before}.",
    "whatif.dropped": "No word is new: {n} of the model's own {before} words are left out (highlighted in it).",
    "whatif.open_step": "Open step {i} in Step through",
    "whatif.bad_swap": "The swap “{value}” does not fit this sentence: another word of the same class is needed.",
    "whatif.no_swap": "No word of this sentence is in the toy lexicon, so none has words of its class to swap in.",
    "whatif.swap_at": "Source word",
    "whatif.swap_with": "Replace with (same class)",
    "whatif.source_before": "Source:",
    "whatif.source_after": "Swapped source:",
    "whatif.swap_looks": "Output words that attend most to “{word}” after the swap: {outputs}.",
    "whatif.beam_result": "**Beam (width {k})**, score {score}, log P {log_prob}:",
    "whatif.greedy_result": "**Greedy**, score {score}, log P {log_prob}:",
    "whatif.normalisation": "Score = log P / words, <end> included (length normalisation); log P is the sum of the "
    "log-probabilities of the words.",
    "whatif.beam_one": "Width 1 is greedy search, exactly: set a width above 1 to see the tree.",
    "whatif.tree_from": "Tree from step",
    "whatif.tree_title": "Beam tree, width {k}",
    "whatif.tree_step": "decoder step i",
    "whatif.pruned": "pruned",
    "whatif.hyp_words": "hypothesis",
    "whatif.hyp_score": "score",
    "whatif.hyp_ended": "ended with <end>",
    "whatif.map_window": "A long sentence: output words {rows} and source words {cols} of {n} × {m} are drawn, "
    "from the first word that differs.",
    "whatif.tree_legend": "In the tree: the words kept at each step solid, with their log P; the best "
    "of the pruned ones faded; the path of the best hypothesis in orange.",
    "whatif.words_part": "(words {a}–{b} of {n})",
    # the source article
    "article.name": "The source article is “{title}” by {author}: a chapter in Chinese on Bahdanau attention, "
    "with a TensorFlow code example (section {section}).",
    "article.where": "Where this bug sits in the article's code (line {lines})",
    "article.quoted": "Its line {lines}",
    # the lesson
    "nav.lesson": "Lesson",
    "home.start_lesson": "Start the lesson",
    "home.start_lesson_help": "Six stops from why attention exists to intervening on it and on to the Transformer, "
    "each with a question the live model answers on your sentence.",
    "home.card.why": "A model without attention loses long sentences: exact match by length, with and without it.",
    "lesson.title": "Lesson: attention in six questions",
    "lesson.intro": "Each stop explains one idea, then asks you to predict what the trained model will do on the "
    "sentence below. Your answer is checked against the model, and the numbers that decide it appear. Change the "
    "sentence and the questions follow it.",
    "lesson.progress": "{right} of {n} questions answered right",
    "lesson.stops": "Stops",
    "lesson.stop.why": "Why attention",
    "lesson.stop.alpha": "One step's equations",
    "lesson.stop.masking": "Masking",
    "lesson.stop.pitfall": "A pitfall",
    "lesson.stop.whatif": "What if",
    "lesson.previous": "Previous stop",
    "lesson.next": "Next stop",
    "lesson.your_answer": "Your prediction",
    "lesson.check": "Check against the model",
    "lesson.right": "Right: “{answer}”.",
    "lesson.wrong": "Not this time: you said “{chosen}”; the model says “{answer}”.",
    "lesson.yes": "yes",
    "lesson.no": "no",
    "lesson.axis.word": "source word j",
    "lesson.open.why": "Open Why attention",
    "lesson.open.alpha": "Open this step on Step through",
    "lesson.open.masking": "Open Masking with this sentence",
    "lesson.open.pitfall": "Open Pitfalls with this sentence",
    "lesson.open.whatif": "Open What if with this override",
    "lesson.why.prompt": "This sentence has {n} tokens. A model **without** attention reads it into one fixed "
    "vector and translates from that alone. Will it translate the sentence exactly?",
    "lesson.why.explain": "Without attention: {without}. {goal_name}: {goal}. It gets {right} of {total} words "
    "right in place. On held-out sentences of {bucket} tokens, the model without attention translates "
    "{rate_without} exactly, the model with attention {rate_with}.",
    "lesson.why.reference": "The toy grammar's reference",
    "lesson.why.with_attention": "No reference (the sentence is outside the toy grammar); the model with attention",
    "lesson.alpha.prompt": "At decoder step {i} the model writes {word}. Before you look at α: which source word "
    "will α peak on?",
    "lesson.alpha.explain": "α at step {i} peaks on {word} with weight {alpha}; the next largest weight is "
    "{second}. The worked softmax for that word:",
    "lesson.mask.prompt": "The sentence is padded with {pads} padding positions, as in a batch beside a longer "
    "sentence. If the padding is **not** masked, will the translation change?",
    "lesson.mask.explain": "Unmasked, the padding takes up to {leak} of the weight (at step {step}). Without a "
    "mask: {without}. With the correct mask: {with_mask}. Words that differ: {changed}.",
    "lesson.mask.chart_none": "no mask: α at step {step}",
    "lesson.mask.chart_correct": "correct mask: α at step {step}",
    "lesson.pit.prompt": "The article's code takes the softmax over the last axis of a `(batch, T_x, 1)` score "
    "tensor: `{code}`. On this sentence of {n} words, what does every weight α become?",
    "lesson.pit.explain": "The buggy weights: {buggy}, summing to {total} over {n} words. The softmax runs over an "
    "axis of size 1, where every entry is its own maximum. The correct weights: {correct}.",
    "lesson.pit.outcome.ones": "every weight is 1",
    "lesson.pit.outcome.uniform": "every weight is 1/{n}",
    "lesson.pit.outcome.correct": "the same as the correct α",
    "lesson.pit.outcome.zeros": "every weight is 0",
    "lesson.pit.chart_buggy": "softmax over the size-1 axis",
    "lesson.pit.chart_correct": "softmax over the words (correct)",
    "lesson.whatif.prompt": "At step {i} the model gives source word {j}, {word}, only α = {alpha}. Override α to "
    "put all the weight on that word (one-hot). What does the context vector c_{i} become?",
    "lesson.whatif.explain": "Overridden, c at step {i} differs from h_{j} by at most {gap} in any dimension "
    "(float32 rounding), and from the model's own c by up to {moved}. The translation follows: {own} becomes "
    "{after}.",
    "lesson.whatif.chart": "step {i}: c′, h_{j} and the own c",
    "lesson.whatif.outcome.h_j": "exactly h_{j}, that word's encoder state",
    "lesson.whatif.outcome.mean_h": "the average of all h",
    "lesson.whatif.outcome.unchanged": "the model's own c_{i}: α does not reach c",
    "lesson.whatif.outcome.zeros": "zero",
    # train your own
    "nav.train": "Train your own",
    "train.title": "Train a model of your own pairs",
    "train.off.set_off": "Training is switched off on this server ({env}={value}). The models already trained are on "
    "every page; to train one, run `python -m attention_core.train --data FILE --name NAME` on a computer of your own.",
    "train.off.set_unknown": "Training is switched off on this server: {env}={value} is neither on nor off, and a "
    "value not understood keeps it off. Set it to on or off.",
    "train.off.every_address": "Training is switched off on this server: it listens on every network address "
    "(Streamlit's server.address unset, 0.0.0.0 or ::), so others can reach it, and a training takes the cores for "
    "minutes. On a computer of your own, start it with `streamlit run app.py --server.address localhost`, or set "
    "{env}=on.",
    "train.off.other_address": "Training is switched off on this server: it listens on {address}, which others may "
    "reach, and a training takes the cores for minutes. On a computer of your own, start it with "
    "`streamlit run app.py --server.address localhost`, or set {env}=on.",
    "train.on.loopback": "Training is on: this server listens on {address}, this computer's own address, which no one "
    "else can reach. On any other address it is off unless {env}=on.",
    "train.on.set_on": "Training is on: the server's operator set {env}={value}.",
    "train.private": "**Your models are private to this browser session.** A model you train here is in this session's "
    "model menu alone, marked “(private)”: no other visitor sees it or opens it by a link, and it replaces no other "
    "visitor's model and no published one. Its files are kept apart, in the models folder's `.private/{session}/`. "
    "Reloading the page starts a new session, without it.",
    "train.publish": "To make one available to everyone, the server's operator publishes it: "
    "`python -m attention_core.publish NAME --from {session}`.",
    "train.intro": "Upload a file of sentence pairs, check what was read of it, and train a translator of your "
    "own: the same encoder, decoder, attention and training loop as the shipped model. The training runs in a "
    "process of its own on this server; once it is complete the model is in your model menu on every page.",
    "train.format": "**Format**: UTF-8 text, one pair per line, source TAB target; then optionally an "
    "attribution column (as Tatoeba's files have) and a Pharaoh alignment column (`0-0 1-2 2-1`: source word, "
    "target word, counted from 0). At most {mb} MB and {lines} lines.",
    "train.upload": "Pairs file (source TAB target)",
    "train.upload_help": "At most {mb} MB. A spreadsheet saved as tab-separated text works; a CSV with commas "
    "does not.",
    "train.reading": "Reading the file …",
    "train.bad_file": "This file cannot be trained on: {message}",
    "train.summary": "What was read",
    "train.kept": "Pairs kept",
    "train.kept_help": "Of {lines} lines; the lines dropped and why are listed below.",
    "train.source_words": "Source vocabulary",
    "train.target_words": "Target vocabulary",
    "train.words_help": "Distinct tokens on this side (words and punctuation, lower-cased).",
    "train.aligned": "Pairs with an alignment",
    "train.aligned_help": "Pairs with a Pharaoh column: with them the figures include alignment accuracy and AER.",
    "train.lengths": "Read {lines} lines. Source: {s_min} to {s_max} tokens (mean {s_mean}).",
    "train.target_lengths": "Target: {t_min} to {t_max} tokens (mean {t_mean}).",
    "train.none_dropped": "Every line was kept.",
    "train.dropped": "{n} dropped: {reason} (the first on line {line})",
    "train.drop.blank": "blank",
    "train.drop.no_tab": "no tab",
    "train.drop.empty_side": "a side with no word",
    "train.drop.too_long": "a side over {max} tokens",
    "train.drop.bad_alignment": "an alignment index outside its sentence",
    "train.settings": "Training",
    "train.name": "Model name",
    "train.name_help": "1 to 40 lower-case letters, digits, “_” or “-”, starting with a letter or digit. The "
    "pages list the model by this name.",
    "train.name_empty": "Give the model a name.",
    "train.name_bad": "“{name}” cannot name a model: use 1 to 40 lower-case letters, digits, “_” or “-”, "
    "starting with a letter or digit (no slashes, dots or spaces).",
    "train.name_reserved": "“{name}” is the name of a shipped model or mode; choose another.",
    "train.name_exists": "You have a model named “{name}” in this session: the new one replaces it once it is "
    "complete.",
    "train.name_published": "“{name}” is the name of a model published on this server; choose another (yours would "
    "stay private, but one name would then mean two models).",
    "train.epochs": "Epochs",
    "train.epochs_auto": "auto",
    "train.epochs_help": "Passes over the training pairs. Empty: by the file's size (many passes for a small "
    "file, few for a large one).",
    "train.held_out": "Held-out share",
    "train.held_out_help": "Source sentences kept out of training; the figures at the end are measured on them.",
    "train.start": "Start training",
    "train.busy": "Another training is running on this server; one runs at a time. You can check a file meanwhile "
    "and start yours when it ends.",
    "train.busy_now": "Another training started a moment ago; start yours when it ends.",
    "train.start_failed": "The training could not start: {message}",
    "train.running": "Training “{name}”",
    "train.running_other": "Another visitor's training",
    "train.starting": "Starting: loading TensorFlow and reading the file ({seconds} s)",
    "train.progress": "Step {step} of {total} · loss {loss} · about {eta} left",
    "train.evaluating": "Training done ({total}); scoring the held-out pairs …",
    "train.cancel": "Cancel training",
    "train.axis.step": "step",
    "train.axis.loss": "loss",
    "train.chart_alt": "The training loss at each step so far",
    "train.finished": "“{name}” is trained ({steps}, {wall} s in all) and in your model menu on every page, private to "
    "this browser session.",
    "train.steps_one": "1 step",
    "train.steps_many": "{n} steps",
    "train.too_few": "**{pairs} pairs are too few to learn from.** This training needs at least **{needed} pairs** "
    "for a file of {words} target words: {steps} steps of {batch} pairs in at most {passes} passes, and each "
    "target word seen about {sightings} times a pass. A model of fewer pairs will likely translate nothing.",
    "train.learned_nothing": "“{name}” learned too little to translate: none of the {held} held-out pairs came out "
    "right{empty}. It learned from {pairs} pairs; this training needs at least {needed}.",
    "train.writes_nothing": ", and it writes nothing at all",
    "train.failed": "The training of “{name}” failed; no model was written. The end of its log:",
    "train.cancelled": "The training of “{name}” was cancelled; no model was written.",
    "train.model_gone": "“{name}” was trained, but its folder is no longer in the models folder.",
    "train.held_out_title": "On {pairs} held-out pairs",
    "train.metric.exact": "Exact match",
    "train.metric.bleu": "BLEU",
    "train.metric.chrf": "chrF",
    "train.metric.alignment": "Alignment",
    "train.metric.aer": "AER",
    "train.by_length": "By source length (tokens)",
    "train.col.bucket": "length",
    "train.col.pairs": "pairs",
    "train.open_step": "Open “{name}” on Step through",
    # the model picker, and what pages say for a model of one's own data (a folder model)
    "sidebar.model": "Model",
    "sidebar.model_help": "The trained model every page runs: the shipped toy English → French model, or one "
    "trained on a file of sentence pairs (python -m attention_core.train --data FILE --name NAME).",
    "model.toy_en_fr": "toy English → French",
    "model.toy_en_zh": "toy English → Chinese",
    "model.private": "{name} (private)",
    "own.source_trained": "Trained: {name}",
    "own.sentence_help": "Model {name}: words of its own data, as in its held-out sentences. Words it never saw "
    "become its unknown token.",
    "own.target_help": "Leave empty for the model's own translation. A sentence in the language {name} writes "
    "is forced here word by word (teacher forcing).",
    "own.random": "Random sentence of its data",
    "own.random_help": "A held-out sentence of the data {name} was trained on.",
    "own.words_title": "The words {name} knows",
    "own.words_intro": "This model reads only the source words of the pairs it was trained on; any other word "
    "becomes its unknown token.",
    "own.words_list": "{n} source words, the most frequent first ({shown} of them here): {words}",
    "own.unknown": "Not in the vocabulary of {name}, read as the unknown token: {words}.",
    "own.outside": "This sentence is not one of the pairs {name} was trained or tested on, so there is no "
    "reference translation to compare with.",
    "own.unknown_target": "Not in the target vocabulary of {name}, fed to the decoder as the unknown token: {words}.",
    "own.ref.agrees": "A sentence of the model's data. Its reference translation is {reference}: the model's "
    "translation agrees word for word, and its attention peaks on the gold source word for {hits} of {total} words.",
    "own.ref.agrees_words": "A sentence of the model's data. Its reference translation is {reference}: the model's "
    "translation agrees word for word.",
    "own.ref.differs": "A sentence of the model's data. Its reference translation is {reference}: the translation "
    "here differs from it in {n} words.",
    "own.gold": "reference alignment (the model's data)",
    "own.align_reference": "Reference alignment (from the model's data): {hits} of {total} aligned output words "
    "look hardest at the word they translate.",
    "own.align_no_reference": "This sentence is not one of the pairs {name} was trained or tested on, so there is "
    "no reference alignment.",
    "own.align_no_gold": "The data {name} was trained on gives no word alignment, so α cannot be scored against one.",
    "own.align_not_reference": "The model translates “{got}”, not the data's “{reference}”, so its words cannot be "
    "matched one to one with the reference. Force the reference translation to see where it looks for it.",
    "own.not_additive": "{name} scores with {score}, not the additive score: this view shows the additive "
    "score's own weights (W₁, W₂, b, v), which it does not have.",
    "own.no_baseline": "No model without attention was trained beside {name}.",
    "own.no_score_models": "Five models trained with different scores exist for the shipped toy English → French "
    "model only; {name} was trained with one. “Same states, other scores” runs on its states.",
    "own.why_no_baseline": "Exact match by length, the translation without attention and its cost come from the "
    "shipped toy English → French model and its baseline: {name} has no model without attention beside it. "
    "Below: its own translation and α map.",
    "own.why_translation": "A sentence translated by {name}",
    "own.why_reference": "Reference (from the model's data)",
    "own.no_swap": "No word of this sentence is one {name} knows, so none can be swapped for another.",
    "own.lesson_no_baseline": "This question compares the shipped model with the model without attention "
    "trained beside it; {name} has none. The other stops ask {name} itself.",
    # rooms: the speaker's room, phones that follow it, questions to the room
    "room.open": "Open a room",
    "room.open_help": "Phones on the room's link follow this screen and can "
    "answer the questions you ask. No names are kept.",
    "room.code": "Room **{code}**",
    "room.speaker_caption": "Phones that scan this code follow your screen. The "
    "code is public; only this browser moves the room.",
    "room.close": "Close the room",
    "room.following": "Following the speaker · room {code}",
    "room.away": "You left the speaker's screen (room {code}).",
    "room.rejoin": "Back to the speaker",
    "room.ended": "Room {code} has ended, or there is no such room: this page stays as it is.",
    "room.refused.no_room": "There is no open room {code}: nothing was changed.",
    "room.refused.not_speaker": "Only the speaker's browser can do this in room {code}; this "
    "one joined it as the audience. Nothing was changed.",
    "room.refused.bad_vote": "That answer is not one of this question's: nothing was counted.",
    "room.refused.closed": "The answers have been revealed: this vote was not counted.",
    "room.refused.bad_question": "This question cannot be put to the room: nothing was changed.",
    "room.refused.full": "Too many rooms are open on this server: try again later.",
    "room.refused.bad_screen": "This screen cannot be shared with the room.",
    "room.ask": "Ask the room",
    "room.ask_help": "Every phone in room {code} gets this question with one button per answer.",
    "room.question": "Question to the room",
    "room.answered": "{n} answered",
    "room.tap": "Your answer:",
    "room.your_answer": "Your answer: {answer}. You can change it until the reveal.",
    "room.revealed_phone": "The answers are on the speaker's screen.",
    "room.reveal": "Reveal",
    "room.play": "Play the room's guess",
    "room.withdraw": "Back to the lesson",
    "room.no_votes": "No answers yet: nothing to play.",
    "room.chart_title": "Step {i}: the room's answers, the model's α and the gold alignment",
    "room.chart_title_no_gold": "Step {i}: the room's answers and the model's α",
    "room.choice_title": "The room's answers",
    "room.series.room": "room",
    "room.series.model": "model α",
    "room.series.gold": "gold",
    "room.share": "share",
    "room.model_answer": "The model's answer: **{answer}**",
    "room.c_title": "Step {i}: c from the room's α (c′) beside the model's c",
    "room.word": "At step {i} the model would write **{room_word}** (its own: **{own_word}**).",
    "room.redecoded": "Re-decoded with the room's α: {line}",
    "room.own": "The model's own: {line}",
    "room.gap": "‖c′ − c‖ = {gap}",
    # Toward the Transformer
    "nav.toward": "Toward the Transformer",
    "home.card.toward": "From Bahdanau's score to multi-head attention in four stops, on your sentence: "
    "every Transformer head's α beside the additive model's, with the gold alignment.",
    "toward.title": "Toward the Transformer",
    "toward.intro": "Four stops from the additive score to the Transformer's attention, each on this sentence "
    "and the live tensors of models trained alike on the same toy data: the additive model, its siblings "
    "trained with the dot and scaled dot scores, and a Transformer ({layers} layers each side, {heads} heads). "
    "First, where each of them looks while writing the chosen output word.",
    "toward.no_bridge": "Transformers were trained on the toy English → French and English → Chinese data only; "
    "{name} has no Transformer trained alike. Choose a toy model to see this page.",
    "toward.clamped": "The link asked for {name} {value}; this model has {most}, so {name} {most} is shown.",
    "toward.output_word": "Output word (decoder step i): additive / Transformer",
    "toward.layer": "Layer",
    "toward.layer_n": "layer {layer}",
    "toward.head": "Head",
    "toward.head_n": "head {head}",
    "toward.window": "Source words {first}–{last} of {n}: where the models look at this step.",
    "toward.head_row": "L{layer} H{head}",
    "toward.additive_row": "additive (1 head)",
    "toward.compare_title": "α at output word {i}: the additive model and every Transformer head",
    "toward.gold": "gold alignment",
    "toward.words": "At step {i} the additive model writes **{additive}**, the Transformer **{transformer}**.",
    "toward.no_gold": "This word has no gold alignment (no reference, or past its end).",
    "toward.gold_word": "The reference's word **{word}** is aligned to **{source}**; {n} of {total} rows peak on "
    "it: {hits}.",
    "toward.stop.additive": "The additive score",
    "toward.stop.dot": "Dot and scaled dot scores",
    "toward.stop.heads": "Several heads, each with its own projections",
    "toward.stop.self": "Attention over the sentence itself",
    "toward.why.additive": "Why: a small network compares the decoder's state with each source word, so the two "
    "may live in different spaces; it costs a tanh layer per pair.",
    "toward.why.dot": "Why: a dot product compares them with no weights of its own, one matrix product for every "
    "pair at once; dividing by √d keeps the scores from growing with the dimension and softmax from saturating.",
    "toward.why.heads": "Why: one softmax gives one way of looking; each head projects queries, keys and values "
    "its own way, so several heads can look at several words at once, and W_O mixes what they read.",
    "toward.why.self": "Why: the same equation with the sentence as its own queries, keys and values lets every "
    "word read every other with no recurrence; in the decoder a mask M hides the words not yet written.",
    "toward.additive_e": "e at step {i}, additive model",
    "toward.additive_alpha": "α at step {i}, additive model",
    "toward.dot_alpha": "α at step {i}: the models trained with each score",
    "toward.dot_e": "e at step {i}: dot and scaled dot models",
    "toward.heads_alpha": "α at step {i}, cross-attention of layer {layer}, every head",
    "toward.heads_e": "e = q kᵀ/√d_k at step {i}, layer {layer}, every head",
    "toward.head_numbers": "Layer {layer}, head {head} looks most at **{word}** (j = {j}): "
    "e = q·k_{j}/√{d_k} = {e:.4f}, α = {alpha:.4f}. Its context c = α V joins those of all {heads} heads "
    "in [c¹; …; c^{heads}], which W_O turns into {d_model} numbers.",
    "toward.qk_title": "Layer {layer}, head {head} at step {i}: its query q and every key k_j",
    "toward.dimension": "dimension of d_k",
    "toward.value": "value",
    "toward.encoder_title": "Encoder self-attention, layer {layer}, head {head}",
    "toward.decoder_title": "Decoder masked self-attention, layer {layer}, head {head}",
    "toward.writing": "step writing",
    "toward.reading": "word read",
    "toward.causal_note": "Each row is one decoder step: it reads <start> and the words written before it. "
    "Every cell right of the diagonal is 0: the causal mask gives the future no weight.",
    "model.transformer": "Transformer, toy → French",
    "transformer.not_here": "This page reads the additive model's one α (or its baseline, or its masks); the "
    "Transformer has heads instead. Its attention is on Step through, Toward the Transformer and What if; choose "
    "the toy English → French model in the sidebar for this page.",
    "transformer.intro": "The Transformer's cross-attention at one decoder step: the chosen layer's and head's "
    "seven equations, each with its numbers, then every head's α at the step.",
    "transformer.equation": "Equation",
    "transformer.eq.q": "query",
    "transformer.eq.kv": "keys and values",
    "transformer.eq.e": "scores",
    "transformer.eq.mask": "mask",
    "transformer.eq.alpha": "weights",
    "transformer.eq.context": "head's context",
    "transformer.eq.output": "heads joined, W_O",
    "transformer.n.q": "The decoder's state x at this step ({d_model} numbers) projected to this head's query of "
    "{d_k}: q = ({q}, …).",
    "transformer.n.kv": "Every source word's encoder output projected to this head's key and value: "
    "{T_x} rows of {d_k} numbers each.",
    "transformer.n.mask": "{allowed} of {T_x} keys are real words, so the mask allows them all here; in a padded "
    "batch the padding's scores would be −∞.",
    "transformer.n.alpha": "α_{j} = exp({e:.4f}) / Σ exp(ẽ) = **{alpha:.4f}**, on **{word}**, the word this head "
    "looks at most.",
    "transformer.n.output": "The {heads} heads' contexts of {d_v} numbers each, joined into {d_model}, and W_O "
    "mixes them into the layer's output of {d_model}.",
    "transformer.f.q": "q, {name}",
    "transformer.f.k": "K, {name}",
    "transformer.f.v": "V, {name}",
    "transformer.f.e": "e = q·k/√d_k, {name}",
    "transformer.f.mask": "ẽ after the mask, {name}",
    "transformer.f.alpha": "α, {name}",
    "transformer.f.context": "c = αV, layer {layer}, every head",
    "transformer.f.concat": "[c¹; …; cᴴ], layer {layer}",
    "transformer.f.output": "o = [c¹; …; cᴴ] W_O + b_O, layer {layer}",
    "transformer.f.all": "α at step {i}, every head",
    "toward.layer_short": "L{layer}",
    "toward.head_short": "H{head}",
    "toward.no_dot": "The dot and scaled dot models were trained on the toy French data only; {name} has none. "
    "Choose the toy English → French model to see them.",
    "causal.title": "The Transformer's own mask: the causal one",
    "causal.intro": "In training, a Transformer's decoder reads the whole translation at once, and position t is "
    "taught to write word t + 1. The causal mask lets position t read only <start> and the words before it. A "
    "model trained alike without it learns to read the word it must write from the next position: reading a "
    "given translation it looks perfect; writing its own, the next word is not there yet.",
    "causal.with_mask": "with the causal mask",
    "causal.without_mask": "without it",
    "causal.figure": "on held-out sentences",
    "causal.forced_exact": "exact match, reading the reference",
    "causal.free_exact": "exact match, writing its own words",
    "causal.free_words": "words right, writing its own",
    "causal.translations": "The batch's longest sentence, {with_mask}: {causal}  \n{without_mask} (in bold, "
    "the words that differ): {leaky}",
    "causal.reading": "Reading the causal model's translation at once, as in training, the model without the mask "
    "writes {right} of its {n} words right, the causal model {causal_right}.",
    "causal.map_title": "Without the causal mask: layer {layer}, head {head} reading",
    "causal.map_caption": "Each row is a position writing its word; each column a word it reads. Right of the "
    "diagonal are the words after it, which the causal mask hides: this head, the one that reads ahead most, "
    "puts {ahead} of each row's weight there on average; the causal model puts at most {causal} there.",
    "lesson.stop.transformer": "The Transformer's causal mask",
    "lesson.open.transformer": "Open Masking, which ends on the causal mask",
    "lesson.no_transformer": "This question compares the two Transformers trained on the toy French data, with "
    "and without the causal mask; {name} has no such pair. Choose the toy English → French model.",
    "lesson.transformer.prompt": "A Transformer trained without its decoder's causal mask reads a given "
    "translation almost perfectly: {forced} of held-out sentences exactly right when it reads the reference. "
    "Writing its own words for this sentence, will it write the same translation as the Transformer with the mask?",
    "lesson.transformer.explain": "Reading the causal model's translation at once, as in training, it writes "
    "{right} of {n} words right. Its layer {layer}, head {head} puts {ahead} of each position's weight on the words "
    "after it: it learnt to copy the next word, not to translate. Writing its own, those words do not exist yet "
    "(exact match {free} on held-out sentences).  \nWith the mask: {causal}  \nWithout it (the words that differ "
    "in bold): {leaky}",
    "heads.intro": "The Transformer has several heads per layer, each with its own α. Put one head's α at one step "
    "all on one source word, and watch what follows: that head's context becomes the word's value vector V_j, and "
    "the layer's output, the word written and every later step are computed again.",
    "heads.word": "Put all of layer {layer}, head {head}'s α at step {step} on",
    "heads.own": "— its own α (no override)",
    "heads.choose": "Choose a source word above: the head's α at this step becomes 1 on it and 0 elsewhere.",
    "heads.after": "Overridden:",
    "heads.alpha_own": "model's own α: step {step}, layer {layer}, head {head}",
    "heads.alpha_after": "overridden α: step {step}, layer {layer}, head {head}",
    "heads.context": "Head {head}'s context is now V_{j}, the value of {word}, to {gap} in every dimension (it moved "
    "‖Δ‖ = {moved} from its own). Step's word: “{before}” before, “{after}” after.",
    "causal.padding_title": "The Transformer's padding mask",
    "causal.padding_intro": "The same batch through the Transformer trained on the same data. Its padding mask keeps "
    "the padded positions out of every attention that reads the source: the encoder's self-attention and the "
    "decoder's cross-attention. Without it, each row reads its padding as words.",
    "causal.row": "row",
    "causal.pad_weight": "α on pad, no mask (most)",
    "causal.with_pad_mask": "with the mask",
    "causal.without_pad_mask": "without it",
}
