"""The cue lexicon: which words introduce a reported statement, and the stance they carry.

A cue's default stance comes from its lemma (``deny`` → deny, ``ask`` → question);
negation and refusal around the cue change it ("did not confirm", "refused to deny" →
doubt), and the content itself can sharpen a neutral cue: "said it doesn't trust reports
that ..." is a doubt, "said there was no attack" a denial.
"""

from __future__ import annotations

from claimledger.nlp import Token

__all__ = [
    "ATTITUDES",
    "CUE_VERBS",
    "EVALUATIVE",
    "HEDGES",
    "PASSIVE_CUES",
    "REPORT_NOUNS",
    "SAYING",
    "content_stance",
    "cue_stance",
    "is_negated",
    "polarity",
    "word_set",
]


def word_set(words: str) -> frozenset[str]:
    """A lexicon written as one string of space-separated words."""
    return frozenset(words.split())


_ASSERT = word_set(
    "say tell add state claim allege assert insist maintain argue contend declare announce explain note "
    "write report reveal warn suggest predict stress emphasize emphasise reiterate repeat recall reply "
    "respond answer testify tweet post mention indicate disclose estimate speculate charge accuse "
    "complain boast brag quip joke shout yell scream whisper caution hint signal promise pledge vow "
    "threaten believe think feel hope fear expect guess assume figure reckon conclude find show "
    "demonstrate predict project observe remark comment describe contend counter retort concede proclaim "
    "affirm insist urge demand propose recommend agree continue wonder acknowledge admit confirm deny "
    "imply remember learn assure remind talk speak refer point"
)
_DENY = word_set("deny reject dismiss refute rebut contradict disavow repudiate disclaim negate debunk")
_DOUBT = word_set("doubt question dispute challenge distrust mistrust")
_CONFIRM = word_set("confirm acknowledge verify admit concede corroborate affirm reaffirm validate")
_QUESTION = word_set("ask wonder inquire enquire query")

# Attitudes and evaluations: "wants to ...", "called for ...", "criticized the plan". They report a
# position rather than a claim, so they need a complement and get a lower confidence.
ATTITUDES = word_set("want intend seek call cite urge encourage refuse decline worry hop prefer decide")
EVALUATIVE = word_set(
    "attack criticize criticise condemn blast slam praise endorse oppose defend echo denounce decry "
    "applaud welcome mock blame reference support back favor favour advocate tout express highlight portray "
    "list view"
)

CUE_VERBS: dict[str, str] = {lemma: "assert" for lemma in [*_ASSERT, *ATTITUDES, *EVALUATIVE]}
CUE_VERBS.update({lemma: "deny" for lemma in _DENY})
CUE_VERBS.update({lemma: "doubt" for lemma in _DOUBT})
CUE_VERBS.update({lemma: "confirm" for lemma in _CONFIRM})
CUE_VERBS.update({lemma: "question" for lemma in _QUESTION})

# Verbs of saying: they can take a quotation beside them as their content ("“...,” she added").
SAYING = word_set(
    "say tell add state claim allege assert insist maintain argue contend declare announce explain note write "
    "report reveal warn suggest stress emphasize emphasise reiterate repeat recall reply respond answer testify "
    "tweet post mention indicate disclose charge complain boast brag quip joke shout yell scream whisper caution "
    "continue remark comment counter retort concede proclaim admit acknowledge confirm deny ask wonder"
)

# Verbs that attribute only with a clause of their own (a bare object is no statement:
# "think" a thought, "find" a wallet).
CLAUSE_ONLY = word_set(
    "believe think feel hope fear expect guess assume figure reckon find show demonstrate project "
    "observe continue agree promise pledge vow threaten urge demand propose recommend describe imply "
    "remember learn assure remind hop"
)
# Verbs whose direct object is the content: "denied the allegations", "confirmed the deal".
OBJECT_CONTENT = _DENY | _DOUBT | _CONFIRM | EVALUATIVE | word_set("claim allege report announce reveal cite")

# Passive verbs that report a statement without saying who made it.
PASSIVE_CUES = word_set(
    "say report allege claim believe think understand rumor rumour identify describe suspect "
    "estimate expect consider know"
)
# "It is expected that" and "he is known to" are too often plain facts to count.
_WEAK_PASSIVE = frozenset({"consider", "know", "describe"})

# Nouns that stand for a statement: "denied reports that ...", "rejected claims that ...".
REPORT_NOUNS = word_set(
    "report claim allegation rumor rumour story suggestion accusation charge assertion statement "
    "notion idea speculation assessment contention suspicion"
)

HEDGES = word_set(
    "allegedly reportedly purportedly apparently supposedly ostensibly seemingly presumably possibly reputedly"
)

# Words around a cue that refuse or negate it: "refused to confirm", "declined to deny".
_REFUSAL = frozenset({"refuse", "decline", "fail", "reject"})
_NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "hardly", "barely"})

# Inside content: markers that the speaker doubts the proposition.
_DOUBT_WORDS = word_set(
    "hardly unlikely doubtful dubious questionable unconfirmed unverified unclear uncertain "
    "unfounded speculation skeptical sceptical premature"
)
_EVIDENCE_NOUNS = frozenset({"confirmation", "evidence", "proof", "verification", "corroboration"})
_MORE = frozenset({"more", "further", "additional", "credible", "independent", "conclusive", "any"})


def cue_stance(token: Token) -> str | None:
    """The default stance of ``token`` as a cue verb, or None when it is no cue."""
    return CUE_VERBS.get(token.lemma_.lower())


def weak_passive(lemma: str) -> bool:
    return lemma in _WEAK_PASSIVE


def is_negated(token: Token) -> bool:
    """Whether ``token`` is negated or refused: "did not deny", "refused to confirm", "never said"."""
    if any(child.dep_ == "neg" or child.lower_ in _NEGATORS for child in token.children if child.i < token.i):
        return True
    # "refused to confirm": the cue is the xcomp of a refusal verb (which may itself be negated).
    head = token.head
    if token.dep_ == "xcomp" and head.i != token.i:
        if head.lemma_.lower() in _REFUSAL:
            return not is_negated(head)
        if head.lemma_.lower() in {"can", "could", "be", "able"}:
            return is_negated(head)
    return False


def polarity(stance: str, negated: bool) -> str:
    """The stance of a cue after negation: a negated denial or confirmation leaves the content in doubt."""
    if not negated:
        return stance
    if stance == "doubt":  # "does not doubt" is an assertion
        return "assert"
    if stance == "question":
        return "question"
    return "doubt"


def _is_conditional(token: Token) -> bool:
    return token.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in {"if", "whether", "unless"} for c in token.children
    )


def content_stance(root: Token, tokens: list[Token], *, source_like: set[str]) -> str | None:
    """A stance the content itself expresses, overriding a neutral ("assert") cue.

    ``root`` is the content clause's head, ``tokens`` every content token, ``source_like``
    the lower-cased words that may refer back to the source (its head noun and pronouns).
    Order matters: a stance verb projected from the speaker ("said it doesn't trust ...")
    beats doubt words, which beat plain negation.
    """
    subj = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    lemma = root.lemma_.lower()
    if subj is not None and subj.lower_ in source_like:
        negated = is_negated(root)
        if lemma in {"trust", "believe", "accept", "buy"} and negated:
            return "doubt"
        if lemma in {"distrust", "mistrust"}:
            return polarity("doubt", negated)
        inner = CUE_VERBS.get(lemma)
        if inner in {"deny", "doubt", "confirm", "question"}:
            return polarity(inner, negated)
    for tok in tokens:
        low = tok.lemma_.lower()
        if low in _DOUBT_WORDS or tok.lower_ in _DOUBT_WORDS:
            return "doubt"
        if low in _EVIDENCE_NOUNS and any(c.lower_ in _MORE or c.lemma_.lower() in _MORE for c in tok.subtree):
            return "doubt"
        if _is_conditional(tok) and tok.head.i == root.i:
            return "doubt"
        if tok.lemma_.lower() == "doubt" and tok.pos_ == "NOUN" and not any(c.lower_ == "no" for c in tok.children):
            return "doubt"
    if is_negated(root) or _negative_existential(root):
        return "deny"
    return None


def _negative_existential(root: Token) -> bool:
    """ "There have been no incidents", "Nobody was hurt", "Nothing happened"."""
    for child in root.children:
        if child.dep_ in {"attr", "nsubj", "nsubjpass", "dobj"}:
            if child.lower_ in {"nothing", "nobody", "none", "noone"}:
                return True
            if any(c.dep_ == "det" and c.lower_ == "no" for c in child.children):
                return child.dep_ != "dobj" or any(c.dep_ == "expl" for c in root.children)
    return False
