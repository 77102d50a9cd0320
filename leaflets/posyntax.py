"""Strict PO/POT syntax check: what GNU gettext 0.21 (``msgfmt --check``, ``msgcat``) refuses.

polib is lenient. ``syntax_errors(text)`` gives ``(line, message)`` pairs (sorted, at most one per
line) for what GNU's lexer (po-lex.c), grammar (po-gram-gen.y) and catalog reader reject.

Lexer, as po-lex.c: a line ending in a backslash joins the next. Tokens need not be on separate
lines; blank, tab, CR, FF, VT separate them. ``"..."`` is a STRING; escapes: \\n \\t \\b \\r
\\f \\v \\a \\\\ \\" \\ooo \\xh... (\\? and \\' are invalid); an EOT byte before the
first NUL is an error, a NUL ends the value. Keywords ``[A-Za-z_$][A-Za-z0-9_$]*``: msgctxt msgid
msgid_plural msgstr domain (on a ``#|`` line only the first three, as PREV tokens, P its strings).
Digits make a NUMBER; ``[``, ``]`` are tokens. ``#~`` makes the rest of the line obsolete, ``#|`` or
``#~|`` previous, any other ``#`` starts a COMMENT. The rest (non-ASCII, controls, BOM) is JUNK.

Parser, a state machine: state --token--> state (``*``: its strings have begun):
  IDLE  COMMENT->IDLE  domain->DOM  msgctxt->CTXT  msgid->ID  #|msgctxt->PCTXT  #|msgid->PID
  DOM  STRING->IDLE (msgfmt fails)        CTXT, CTXT*  STRING->CTXT*;  CTXT*  msgid->ID
  PCTXT, PCTXT*  P->PCTXT*;  PCTXT*  #|msgid->PID    PID, PID*  P->PID*;  PID*  #|msgid_plural->PPL
  PPL, PPL*  P->PPL*;  PID*, PPL*  msgctxt->CTXT  msgid->ID
  ID, ID*  STRING->ID*;  ID*  msgstr->STR  msgid_plural->PL   [else "missing 'msgstr' section"]
  STR, STR*  STRING->STR*;  STR  [->LB (no msgid_plural)      [STR*: else the entry is done]
  PL, PL*  STRING->PL*;  PL*  msgstr->PSTR                    [else "missing 'msgstr[]' section"]
  PSTR [->LB   LB NUMBER->NUM (0, 1, 2...)   NUM ]->RB   RB, PF*  STRING->PF*;  PF* msgstr->PSTR
"[else ...]" (and PF* on any other token) ends the entry and gives the token to IDLE; any other
token is a syntax error, after which (as bison) tokens are dropped until one may start an entry,
with no new syntax error before three are taken. An entry's tokens agree on ``#~``; an entry
whose msgctxt+msgid (bytes after escapes) was seen before is a duplicate.
Lines name the offending token; GNU names the next line for end-of-line within string and for
an error found at a comment, and the line after the last for one found at end of file.
Cost: linear. Each line is masked (escaped quotes and backslashes) and split at its quotes with
C-speed str methods; a run of strings, or of junk, is one token; regexes are flat (no nested
or backtracking quantifiers).
"""
import re

_TOKEN = re.compile(r'[ \t\r\f\v]+|(#~?\|?)|(")|([A-Za-z_$][A-Za-z0-9_$]*)|([0-9]+)|([][])'
                    r'|([^ \t\r\f\v#"A-Za-z0-9_$\[\]]+)')
_NONBLANK = re.compile(r'[^ \t\r\f\v\n]')
_SIMPLE = re.compile(r'\\[\\"ntbrfva]')
_BAD = re.compile(r'\\(?![0-7]|x[0-9A-Fa-f]).?', re.S)
_EOT = re.compile(r'\\(?:0?4(?![0-7])|[04]04|x[0-9A-Fa-f]*+(?<=[x0]4)(?![0-9A-Fa-f]))')  # escapes worth 4
_SURROGATE = re.compile('[\ud800-\udfff]')
_SLOW = re.compile(r'\\[0-7x]|[\ud800-\udfff]')
_ESC = re.compile(rb'\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|([\\"ntbrfva\n])|)')
_CTRL = dict(zip([*'\\"ntbrfva', '\n'], [*'\\"\n\t\b\r\f\v\a', '']))
_CTRL_BYTES = {key.encode(): value.encode() for key, value in _CTRL.items()}
_CHAIN = [('\\\\', '\ud800'), *(('\\' + key, value) for key, value in _CTRL.items() if key != '\\'), ('\ud800', '\\')]
_FOUND = {'E': 'end of file', 'C': 'a comment', 'S': 'a string', 'P': "a '#|' string", 'N': 'number {}',
          'J': 'character {}', 'pctxt': "'#| msgctxt'", 'pid': "'#| msgid'", 'ppl': "'#| msgid_plural'"}
_KEYWORDS = {'msgctxt', 'msgid', 'msgid_plural', 'msgstr', 'domain'}
_PREVIOUS = {'msgctxt': 'pctxt', 'msgid': 'pid', 'msgid_plural': 'ppl'}
_NEXT = {
    'IDLE': {'C': 'IDLE', 'domain': 'DOM', 'msgctxt': 'CTXT', 'msgid': 'ID', 'pctxt': 'PCTXT', 'pid': 'PID'},
    'DOM': {'S': 'IDLE'}, 'PCTXT': {'P': 'PCTXT*'}, 'PCTXT*': {'P': 'PCTXT*', 'pid': 'PID'},
    'PID': {'P': 'PID*'}, 'PID*': {'P': 'PID*', 'ppl': 'PPL', 'msgctxt': 'CTXT', 'msgid': 'ID'},
    'PPL': {'P': 'PPL*'}, 'PPL*': {'P': 'PPL*', 'msgctxt': 'CTXT', 'msgid': 'ID'},
    'CTXT': {'S': 'CTXT*'}, 'CTXT*': {'S': 'CTXT*', 'msgid': 'ID'},
    'ID': {'S': 'ID*'}, 'ID*': {'S': 'ID*', 'msgstr': 'STR', 'msgid_plural': 'PL'},
    'STR': {'S': 'STR*', '[': 'LB'}, 'STR*': {'S': 'STR*'}, 'PL': {'S': 'PL*'},
    'PL*': {'S': 'PL*', 'msgstr': 'PSTR'}, 'PSTR': {'[': 'LB'}, 'LB': {'N': 'NUM'}, 'NUM': {']': 'RB'},
    'RB': {'S': 'PF*'}, 'PF*': {'S': 'PF*', 'msgstr': 'PSTR'},
}
_HINT = {
    'DOM': "'domain' needs a string", 'CTXT': "'msgctxt' needs a string", 'ID': "'msgid' needs a string",
    'STR': "'msgstr' needs a string", 'PL': "'msgid_plural' needs a string", 'RB': "'msgstr[N]' needs a string",
    'PCTXT': "'#| msgctxt' needs a string", 'PID': "'#| msgid' needs a string",
    'PPL': "'#| msgid_plural' needs a string",
    'CTXT*': "'msgctxt' must be followed by 'msgid'", 'PCTXT*': "'#| msgctxt' must be followed by '#| msgid'",
    'PID*': "'#|' lines must be followed by 'msgid'", 'PPL*': "'#|' lines must be followed by 'msgid'",
    'PSTR': "after 'msgid_plural' only 'msgstr[N]' may follow, not plain 'msgstr'", 'LB': "'msgstr[' needs an index",
    'NUM': "missing ']'", 'S': 'string continuation without a keyword before it', 'ppl': "'#| msgid_plural' without "
    "'#| msgid' before it", 'P': "'#|' string without a keyword before it", 'msgstr': "'msgstr' without 'msgid' "
    "before it", 'msgid_plural': "'msgid_plural' without 'msgid' before it",
}


def _unescape(m):
    if m[1] or m[2]:
        return bytes([int(m[1], 8) & 255 if m[1] else int(m[2][-2:], 16)])
    return _CTRL_BYTES.get(m[3], b' ')               # b' ': GNU's value for an invalid escape


def _value(bodies):
    """The bytes GNU keeps for adjacent strings: escapes decoded, each string cut at a NUL."""
    body = '\\\n'.join(bodies)                       # a backslash-newline ends any escape, adds nothing
    if _SLOW.search(body):
        raw = _ESC.sub(_unescape, body.encode('utf-8', 'surrogatepass'))
    else:                                            # only one-letter escapes: C-speed replacements
        for old, new in _CHAIN if '\\' in body else ():
            body = body.replace(old, new)
        raw = body.encode()
    if b'\0' in raw and len(bodies) > 1:
        return b''.join(_value([one]) for one in bodies)
    return raw.split(b'\0', 1)[0]


def _string_error(masked, bodies):
    """Error in string bodies (``masked``: joined by \\x01, escaped \\\\ and \\" masked)."""
    if _SURROGATE.search(masked):
        return 'invalid multibyte sequence'
    plain = _SIMPLE.sub('\1', masked) if '\\' in masked else ''
    if bad := _BAD.search(plain):
        return f"invalid control sequence '{bad[0]}'"
    if ('\x04' in masked or _EOT.search(plain)) and any(b'\x04' in _value([one]) for one in bodies()):
        return 'context separator <EOT> within string'
    return None


def _tokens(text, errors):
    """Yield (kind, line, obsolete, value) like po_gram_lex; lexical errors go to ``errors``."""
    phys, n, obs, prev, last = text.split('\n'), 0, False, False, 1
    while n < len(phys):
        first, pieces, starts, n = n + 1, [phys[n]], [0], n + 1
        while pieces[-1].endswith('\\') and n < len(phys):   # backslash-newline joins physical lines
            pieces[-1] = pieces[-1][:-1]
            starts.append(starts[-1] + len(pieces[-1]))
            pieces.append(phys[n])
            n += 1
        line = ''.join(pieces)                       # mask the escapes that hide a quote or backslash,
        mask = line.replace('\\\\', '\1\1').replace('\\"', '\1\1') if '\\' in line else line
        parts = mask.split('"')                      # so parts are: outside, string, outside, ...
        closed = len(parts) % 2
        parts += [] if closed else ['']
        outside = '\n'.join(parts[::2])              # to find the next outside part that is not blank
        i = pos = k = out_at = 0
        stop, end, after = len(parts[0]), 'newline', False
        while pos < stop or end != 'comment' and i + 1 < len(parts):
            while k + 1 < len(starts) and starts[k + 1] <= pos:
                k += 1
            last = first + k
            if pos < stop:                           # a token outside strings
                m = _TOKEN.match(mask, pos, stop)
                pos, group, where = m.end(), m.lastindex, ' after the closing quote' * after
                if group == 1 and m[1] != '#':       # '#~', '#|', '#~|' are marks, not comments
                    obs, prev = obs or '~' in m[1], prev or '|' in m[1]
                elif group == 1:
                    yield 'C', last, obs, None
                    stop, end = pos, 'comment'
                elif group == 3:
                    kind = _PREVIOUS.get(m[3]) if prev else (m[3] if m[3] in _KEYWORDS else None)
                    if kind is None:
                        errors.append((last, f'keyword "{m[3]}" unknown{where}'))
                    yield kind or 'K', last, obs, m[3]
                elif group:
                    yield ('N', last, obs, m[4]) if group == 4 else (m[5], last, obs, m[5]) if group == 5 else (
                        'J', last, obs, repr(line[m.start()]) + where)
                after = after and not group
                continue
            frm = out_at + len(parts[i]) + 1         # strings up to the next non-blank outside part
            more = _NONBLANK.search(outside, frm)
            upto = more.start() if more else len(outside)
            j, out_at = i + 2 + 2 * outside.count('\n', frm, upto), outside.rfind('\n', 0, upto) + 1

            def bodies(at=pos + 1, cuts=parts[i + 1:j]):  # the unmasked strings (cuts: string, gap, ...)
                out = []
                for cut in cuts:
                    out.append(line[at:at + len(cut)])
                    at += len(cut) + 1
                return out[::2]
            if not closed and j == len(parts) - 1:
                end = 'string'
                errors.append((last, f"end-of-{'file' if n == len(phys) else 'line'} within string"))
            if problem := _string_error('\1'.join(parts[i + 1:j:2]), bodies):
                errors.append((last, problem))
            yield 'P' if prev else 'S', last, obs, bodies
            pos, i, after = pos + len('"'.join(parts[i + 1:j])) + 2, j, True
            stop = pos + len(parts[j])
        obs, prev = (False, False) if end == 'newline' else (obs and end == 'string', prev)
    yield 'E', last, False, None


def syntax_errors(text: str) -> list[tuple[int, str]]:
    """(line, message) for each syntax error GNU gettext would report in this PO/POT text."""
    errors, seen = [], {}
    state, quiet, index, obs0, mixed, entry = 'IDLE', 0, 0, False, False, {}
    for kind, line, obs, value in _tokens(text, errors):
        while (nxt := _NEXT[state].get(kind)) is None and not (kind == 'E' and state == 'IDLE'):
            if state in ('ID*', 'PL*') or state == 'PF*' and entry['nopl']:
                what = {'ID*': "'msgstr'", 'PL*': "'msgstr[]'", 'PF*': "'msgid_plural'"}[state]
                errors.append((entry['line'], f'missing {what} section'))
            elif state in ('STR*', 'PF*'):
                key = (entry['ctxt'] and b''.join(entry['ctxt']), b''.join(entry['id']))
                if key in seen:
                    errors.append((entry['line'], f'duplicate message definition (first defined at line {seen[key]})'))
                seen.setdefault(key, entry['line'])
            else:
                if kind != 'K' and not quiet:           # (an unknown keyword was reported already)
                    hint = _HINT.get(state if state != 'IDLE' else kind, 'stray text: not a comment, keyword or string')
                    found = _FOUND.get(kind, "'{}'").format(value)
                    errors.append((line, f'syntax error: {hint} (found {found})'))
                quiet = 3
            if state == 'IDLE':
                break                                # in recovery: drop the token
            state = 'IDLE'
        if nxt is None:
            continue
        quiet = max(quiet - 1, 0)
        if state == 'IDLE' and nxt != 'IDLE':
            obs0, mixed, entry = obs, False, {'ctxt': None, 'id': [], 'line': line, 'nopl': False, 'forms': 0}
        elif state not in ('IDLE', 'DOM') and obs != obs0 and not mixed:
            mixed = True
            errors.append((line, 'inconsistent use of #~'))
        if nxt == 'CTXT':
            entry['ctxt'] = []
        elif nxt == 'ID':
            entry['line'] = line
        elif kind == 'S' and state in ('CTXT', 'CTXT*', 'ID', 'ID*'):
            entry['ctxt' if state[0] == 'C' else 'id'].append(_value(value()))
        elif state == 'STR' and kind == '[':
            entry['nopl'] = True
        elif state == 'DOM':
            errors.append((line, "'domain' directive: msgfmt ignores it and fails"))
        elif nxt == 'NUM':
            index, entry['msgstr'] = int(value), line
        elif state == 'RB':
            if index != entry['forms']:
                errors.append((entry['msgstr'], 'first plural form has nonzero index' if entry['forms'] == 0
                               else f"plural form has wrong index (expected {entry['forms']})"))
            entry['forms'] += 1
        state = nxt
    return sorted({line: message for line, message in reversed(errors)}.items())  # a line's first error
