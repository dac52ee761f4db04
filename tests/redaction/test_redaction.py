"""The redaction grammar: the name table, each free-text rule, and the engine's properties.

Every rule of ``errorkit.redaction`` is pinned by named rows (the input and the exact
output), so deleting or loosening a rule fails a row that names it. Rows marked
"leak:" are shapes that once went through unmasked.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import errorkit
from errorkit import redaction
from errorkit.redaction import is_sensitive_key, normal_name, redact_text, redact_url

if TYPE_CHECKING:
    import re

# --------------------------------------------------------------------------- the name table

NORMAL_FORMS = [
    ("accessToken", "access_token"),
    ("X-Api-Key", "x_api_key"),
    ('"Authorization "', "authorization"),
    ("OPENAI_API_KEY", "openai_api_key"),
    ("APIKey", "api_key"),
    ("sessionID", "session_id"),
    ("client.secret", "client_secret"),
    ("_private_key_", "private_key"),
    ("api key", "api_key"),
    ("Set-Cookie", "set_cookie"),
]


@pytest.mark.parametrize(("name", "normal"), NORMAL_FORMS, ids=[n for n, _ in NORMAL_FORMS])
def test_normal_form(name: str, normal: str) -> None:
    """Case, ``-``, ``.``, spaces, camelCase, quotes and surrounding ``_`` all normalise."""
    assert normal_name(name) == normal


MASKED_NAMES = [
    # the exact names of the table
    *sorted(redaction.SENSITIVE_NAMES),
    # the suffixes
    "github_token",
    "db_password",
    "ldap_passwd",
    "stripe_secret",
    "openai_api_key",
    "google_apikey",
    "rsa_private_key",
    "aws_access_key",
    "aws_secret_key",
    "webhook_signature",
    "gcp_credentials",
    # a sensitive word anywhere
    "aws_secret_access_key",
    "password_hint",
    "secret_value",
    # spellings users write
    "accessToken",
    "Proxy-Authorization",
    "OPENAI_API_KEY",
    "X-Api-Key",
    "passwd",
    "JWT",
    "Authorization ",
]


@pytest.mark.parametrize("name", MASKED_NAMES)
def test_sensitive_names(name: str) -> None:
    """Each name of the table, suffix and word rule is sensitive, in any spelling."""
    assert is_sensitive_key(name)
    assert redact_text(f"{name}=S3cr3tValue") == f"{name}=***"
    assert redact_url(f"https://h/?{name}=S3cr3tValue") == f"https://h/?{name}=***"
    assert errorkit.Error("m", details={name: "S3cr3tValue"}).to_dict()["details"] == {name: "***"}


READABLE_NAMES = [
    "tokens",
    "max_tokens",
    "prompt_tokens",
    "token_count",
    "token_type",
    "key",
    "primary_key",
    "idempotency_key",
    "cache_key",
    "author",
    "authority",
    "detected_auth_type",
    "session_count",
]


@pytest.mark.parametrize("name", READABLE_NAMES)
def test_names_that_stay_readable(name: str) -> None:
    """Names that merely look like secrets are kept, as keys and in text."""
    assert not is_sensitive_key(name)
    assert redact_text(f"{name}=42") == f"{name}=42"
    assert errorkit.Error("m", details={name: 42}).to_dict()["details"] == {name: 42}


def test_key_is_sensitive_only_in_urls() -> None:
    """``?key=`` holds Google API keys in URLs; ``key=`` in prose stays readable."""
    assert redact_url("https://maps.example.com/api?key=S3cr3t") == (
        "https://maps.example.com/api?key=***"
    )
    assert redact_text("key=value") == "key=value"


def test_added_names_are_masked_everywhere() -> None:
    """``add_sensitive_keys`` extends keys, URL parameters and text pairs, in normal form."""
    script = (
        "import errorkit\n"
        "assert errorkit.redact_text('X-Tenant-Ref=abc') == 'X-Tenant-Ref=abc'\n"
        "errorkit.add_sensitive_keys('x-tenant-ref')\n"
        "assert errorkit.redact_text('X-Tenant-Ref=abc') == 'X-Tenant-Ref=***'\n"
        "assert errorkit.redact_text('xTenantRef: abc') == 'xTenantRef: ***'\n"
        "assert errorkit.redact_url('https://h/?x_tenant_ref=abc') == 'https://h/?x_tenant_ref=***'\n"
        "e = errorkit.Error('m', details={'X_TENANT_REF': 'abc'})\n"
        "assert e.to_dict()['details'] == {'X_TENANT_REF': '***'}\n"
        "assert 'x_tenant_ref' in errorkit.redaction.sensitive_names()\n"
        "assert errorkit.redaction.is_sensitive_key('password')\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_attack_a_name_added_while_a_text_is_read_is_not_forgotten() -> None:
    """A verdict computed with the old names and stored after they changed is not kept.

    The interleaving of two threads is forced: the names are added while a text, a key and
    a rate-limit message are being read with the old patterns.
    """
    script = (
        "import errorkit\n"
        "from errorkit import redaction, safety\n"
        "old, compiled = redaction._patterns(), redaction._patterns\n"
        "def racing(name):\n"
        "    def patterns():\n"
        "        redaction._patterns = lambda: old  # the old patterns, read once more\n"
        "        errorkit.add_sensitive_keys(name)\n"
        "        return old\n"
        "    redaction._patterns = patterns\n"
        "racing('race_field_one')\n"
        "assert errorkit.redact_text('race_field_one=abc') == 'race_field_one=abc'\n"
        "racing('race_field_two')\n"
        "safety._safe_key('race_field_two')\n"
        "racing('race_field_three')\n"
        "errorkit.RateLimitError('race_field_three=abc', retry_after=5.0)\n"
        "redaction._patterns = compiled\n"
        "assert errorkit.redact_text('race_field_one=abc') == 'race_field_one=***'\n"
        "assert 'race_field_two' not in safety._PLAIN_KEYS\n"
        "e = errorkit.RateLimitError('race_field_three=abc', retry_after=5.0)\n"
        "assert 'abc' not in e.message, e.message\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_attack_patterns_compiled_before_a_name_was_added_are_not_kept() -> None:
    """Patterns compiled from the old names and stored after a name was added are recompiled.

    The interleaving of a first masking racing ``add_sensitive_keys`` is forced: patterns
    compiled before the name came are stored after the swap, as a racing compile does.
    """
    script = (
        "import errorkit\n"
        "from errorkit import redaction\n"
        "stale = redaction._Patterns()\n"
        "errorkit.add_sensitive_keys('tenant_ref')\n"
        "redaction._PATTERNS = stale  # the racing compile stores its result last\n"
        "assert errorkit.redact_text('x tenant_ref=abc y') == 'x tenant_ref=*** y'\n"
        "assert str(errorkit.Error('tenant_ref=abc')) == 'tenant_ref=***'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_a_key_seen_before_it_was_added_is_masked_after() -> None:
    """Names added later reach keys and texts already seen: no memo keeps an old verdict."""
    script = (
        "import errorkit\n"
        "details = {'x_tenant_probe': 'abc'}\n"
        "assert errorkit.Error('m', details=details).to_dict()['details'] == details\n"
        "assert errorkit.Error('m', details=details).to_json().endswith('\"abc\"}}')\n"
        "assert errorkit.redact_text('x_tenant_probe=abc') == 'x_tenant_probe=abc'\n"
        "errorkit.add_sensitive_keys('x_tenant_probe')\n"
        "masked = {'x_tenant_probe': '***'}\n"
        "assert errorkit.Error('m', details=details).to_dict()['details'] == masked\n"
        "assert errorkit.Error('m', details=details).to_json().endswith('\"***\"}}')\n"
        "assert errorkit.redact_text('x_tenant_probe=abc') == 'x_tenant_probe=***'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_add_sensitive_keys_rejects_non_text() -> None:
    """A name that is not a str is a programmer error."""
    with pytest.raises(TypeError, match="must be str"):
        errorkit.add_sensitive_keys(42)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- free-text rules

TOKEN = "sk-proj-" + "A1b2C3d4E5f6G7h8I9j0K1l2"
GITHUB = "ghp_" + "a" * 36
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV"
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"

RULE_ROWS: list[tuple[str, str, str]] = [
    # pair: a sensitive name, a separator, and the whole value
    ("pair: bare", "password=hunter2 next", "password=*** next"),
    ("attack: a scheme credential of mixed case, lower first", "Bearer hUNTER x", "Bearer *** x"),
    ("attack: a capitalised word after a scheme stays", "Bearer Hunter x", "Bearer Hunter x"),
    (
        "attack: an escaped quote left open before a URL's value",
        'https://h/?"token=\\"abc x',
        'https://h/?"token=\\"***',
    ),
    (
        "attack: the same in a fragment, before a tab",
        'https://h/#"token=\\"abc\t',
        'https://h/#"token=\\"***',
    ),
    (
        "attack: a URL in another URL's path",
        "see https://web.archive.org/web/2020/https://u:pw@h/x ok",
        "see https://web.archive.org/web/2020/https://u:***@h/x ok",
    ),
    (
        "attack: a URL as another URL's fragment",
        "https://a/x#https://u:pw@h",
        "https://a/x#https://u:***@h",
    ),
    (
        "attack: a URL glued after a bracket in a path",
        "https://a/x(https://u:pw@h)",
        "https://a/x(https://u:***@h)",
    ),
    ("attack: a Python f-string value", 'token=f"6abc" x', 'token=f"***" x'),
    ("attack: a Python rb-string value", "token=rb'abc' x", "token=rb'***' x"),
    (
        "attack: a private key header with a dot",
        "-----BEGIN X9.42 DH PRIVATE KEY-----\nMIIFabc\n-----END X9.42 DH PRIVATE KEY-----",
        "-----BEGIN X9.42 DH PRIVATE KEY-----***-----END X9.42 DH PRIVATE KEY-----",
    ),
    ("attack: a quote inside a bare value", "password=p@ss'w0rd next", "password=*** next"),
    ("attack: a double quote inside a bare value", 'password=abc"def next', "password=*** next"),
    ("attack: '>' inside a bare value", "password=abc>def", "password=***"),
    ("attack: a closing bracket inside a bare value", "password=abc)def", "password=***"),
    ("attack: a closing bracket after a bare value stays", "(token=abc) x", "(token=***) x"),
    ("attack: a bare value ends before an HTML tag", "<b>password=abc</b>", "<b>password=***</b>"),
    (
        "attack: a name written as words, the sensitive one first",
        "Session ID: abc123 next",
        "Session ID: *** next",
    ),
    ("attack: a name of words with secret in it", "secret value: abc123", "secret value: ***"),
    ("attack: a name of words with password in it", "password hash=abc123", "password hash=***"),
    ("attack: words apart by two spaces", "API  key: abc123", "API  key: ***"),
    ("attack: words apart by a tab", "API\tkey: abc123", "API\tkey: ***"),
    ("attack: words apart by a no-break space", "API\xa0key: abc123", "API\xa0key: ***"),
    ("attack: words that are not a sensitive name", "token count: 5", "token count: 5"),
    (
        "attack: a scheme credential before a pair",
        "Bearer S3cr3t42 token=abc",
        "Bearer *** token=***",
    ),
    (
        "attack: a run of Cookie header lines, each its own header",
        "Cookie: a=1\nCookie: b=2\nCookie: c=3",
        "Cookie: ***\nCookie: ***\nCookie: ***",
    ),
    (
        "attack: a run of cookie= lines",
        "cookie=x\ncookie=y\ncookie=z",
        "cookie=***\ncookie=***\ncookie=***",
    ),
    (
        "attack: a run of a name that is not sensitive",
        "tokens=1 tokens=2 token=3",
        "tokens=1 tokens=2 token=***",
    ),
    ("pair: colon", "Token: abc123 expired", "Token: *** expired"),
    ("pair: fat arrow", '"api_key" => "abc"', '"api_key" => "***"'),
    ("pair: thin arrow", "secret -> abc", "secret -> ***"),
    (
        "pair: json string",
        '{"password": "x y", "user": "bob"}',
        '{"password": "***", "user": "bob"}',
    ),
    ("pair: escaped json", '{\\"token\\": \\"abc\\"}', '{\\"token\\": \\"***\\"}'),
    ("pair: python bytes", "{'token': b'abc'}", "{'token': b'***'}"),
    ("pair: escape inside quotes", '{"secret": "a\\"b"}', '{"secret": "***"}'),
    ("leak: pair with an array value", '{"token": ["S", "T"]}', '{"token": ***}'),
    ("leak: pair with an object value", "{'auth': {'user': 'u', 'pw': 'S'}}", "{'auth': ***}"),
    ("pair: nested brackets and quotes", 'token=[1, "]", {"a": [2]}] ok', "token=*** ok"),
    ("pair: unclosed array", 'token=["S", "T"', "token=***"),
    ("pair: bare value ends at &;,", "token=a&b=1;api_key=c,x", "token=***&b=1;api_key=***,x"),
    ("leak: API key written as words", "Invalid API key: sk-live-1234", "Invalid API key: ***"),
    ("pair: three words", "your secret password: hunter2", "your secret password: ***"),
    ("leak: camelCase name", "accessToken=abc", "accessToken=***"),
    ("leak: environment variable", "OPENAI_API_KEY=abc", "OPENAI_API_KEY=***"),
    ("leak: secret as a word", "aws_secret_access_key: abc", "aws_secret_access_key: ***"),
    ("leak: passwd", "passwd=abc", "passwd=***"),
    ("leak: private_key", "private_key=abc", "private_key=***"),
    ("leak: credentials", "credentials: abc", "credentials: ***"),
    ("leak: jwt", "jwt=abc", "jwt=***"),
    ("pair: scheme word travels with its credential", "token=Bearer abc", "token=***"),
    ("pair: value naming the next pair", '"auth": "api_key": "xyz"', '"auth": "api_key": "***"'),
    # header: the whole value, to the end of the line
    ("header: authorization", "Authorization: Bearer abc.def\nnext", "Authorization: ***\nnext"),
    (
        "leak: proxy authorization",
        "Proxy-Authorization: Basic dXNlcg==",
        "Proxy-Authorization: ***",
    ),
    ("leak: every cookie pair", "Cookie: a=1; theme=dark; sid=S", "Cookie: ***"),
    ("header: set-cookie", "Set-Cookie: sid=S; Path=/; HttpOnly", "Set-Cookie: ***"),
    # scheme: the credential after Bearer, Basic, Token, Digest when it looks like one
    ("scheme: bearer with digits", "Bearer abc123", "Bearer ***"),
    ("scheme: bearer mixed case", "bearer aBcDeF", "bearer ***"),
    ("scheme: long word", "Token abcdefghijklmnopqr", "Token ***"),
    ("scheme: across a line break", "Bearer\n  abc.def", "Bearer\n  ***"),
    ("scheme: basic", "use Basic dXNlcjpwYXNz=", "use Basic ***"),
    ("scheme: digest", "Digest a1b2c3", "Digest ***"),
    (
        "leak: a Digest credential whose first part is a URL",
        'Digest https://u:p@h/x, nonce="n", response="abc"',
        'Digest https://u:***@h/x, nonce="***", response="***"',
    ),
    (
        "scheme: a URL after a scheme word, then prose, is read by the URL rule alone",
        "Bearer https://u:p@h/x, see the docs",
        "Bearer https://u:***@h/x, see the docs",
    ),
    (
        "scheme: a URL after a scheme word, then public auth-params",
        'Digest https://h/?token=t, realm="r", qop=auth, response=x1',
        'Digest https://h/?token=***, realm="r", qop=auth, response=***',
    ),
    ("scheme: prose punctuation kept", "sent Bearer abc123.", "sent Bearer ***."),
    ("over-mask: bearer token expired", "Bearer token expired", "Bearer token expired"),
    ("over-mask: basic plan", "the basic plan.", "the basic plan."),
    ("idempotence: glued schemes", "Bearer abc1]Bearer def2", "Bearer ***]Bearer ***"),
    ("scheme: a URL after it is a URL", "Bearer https://u:p@h/x", "Bearer https://u:***@h/x"),
    # shapes: known credentials with no name before them
    (
        "leak: openai key in prose",
        f"Incorrect API key provided: {TOKEN}.",
        "Incorrect API key provided: ***.",
    ),
    ("shape: anthropic", "got sk-ant-api03-" + "x" * 24 + " back", "got *** back"),
    ("shape: github", f"clone with {GITHUB}", "clone with ***"),
    ("shape: github fine-grained", "github_pat_" + "A" * 22, "***"),
    ("shape: slack", "xoxb-1234567890-abc", "***"),
    ("shape: stripe", "sk_live_" + "a1" * 8, "***"),
    ("shape: aws access key id", "id AKIAIOSFODNN7EXAMPLE here", "id *** here"),
    ("shape: google api key", "AIza" + "B" * 35, "***"),
    ("shape: jwt", f"jwt {JWT} end", "jwt *** end"),
    (
        "shape: pem private key",
        f"key:\n{PEM}\nafter",
        "key:\n-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----\nafter",
    ),
    ("shape: pem cut short", "-----BEGIN PRIVATE KEY-----\nMIIE", "-----BEGIN PRIVATE KEY-----***"),
    ("shape: whole word only", "task-" + "a" * 30, "task-" + "a" * 30),
    ("shape: aws needs exactly 16", "AKIAIOSFODNN7EXAMPLEX", "AKIAIOSFODNN7EXAMPLEX"),
    # url: every URL through redact_url, ending where the next item starts
    ("url: userinfo password", "see https://u:p@h/x now", "see https://u:***@h/x now"),
    ("url: sensitive parameter", "(https://h/?sig=abc)", "(https://h/?sig=***)"),
    (
        "leak: form body with a URL before the secret",
        "grant_type=x&redirect_uri=https://app/cb&client_secret=S",
        "grant_type=x&redirect_uri=https://app/cb&client_secret=***",
    ),
    (
        "leak: comma-separated URL list",
        "https://u:P1@h1:9200,https://u:P2@h2:9200",
        "https://u:***@h1:9200,https://u:***@h2:9200",
    ),
    (
        "leak: token as URL username",
        f"https://{GITHUB}@github.com/o/r",
        "https://***@github.com/o/r",
    ),
    ("url: short username kept", "https://git@github.com/o/r", "https://git@github.com/o/r"),
    (
        "url: scheme word glued to its end",
        "see http://h/?:Basic S3cr3tIRDHU1MURui, =",
        "see http://h/?:Basic ***, =",
    ),
    ("url: shape inside a URL", f"https://h/?q={TOKEN}", "https://h/?q=***"),
    # found by an independent attack on the grammar
    (
        "attack: PEM after a name",
        f"private_key={PEM}",
        "private_key=" + PEM.replace("\nMIIEpAIBAAKCAQEA\n", "***"),
    ),
    (
        "attack: PEM glued to a value",
        "password=x-----BEGIN PRIVATE KEY-----\nBODY",
        "password=***-----BEGIN PRIVATE KEY-----***",
    ),
    (
        "attack: URL list, whole text",
        "https://u:P1@h1,https://u:P2@h2",
        "https://u:***@h1,https://u:***@h2",
    ),
    ("attack: pair in a whole-text URL path", "https://h/p;password=S", "https://h/p;password=***"),
    ("attack: shape in a whole-text URL", "https://h/" + TOKEN, "https://h/***"),
    (
        "attack: quoted pair in a whole-text URL",
        'https://h/"password":"S"',
        'https://h/"password":"***"',
    ),
    ("attack: text glued after brackets", "token=[a]bsecret", "token=***"),
    ("attack: empty brackets then text", "token=[]x", "token=***"),
    ("attack: parentheses then text", "password=(x)y tail", "password=*** tail"),
    (
        "attack: digest auth-params",
        'Digest username="bob", response="abc123"',
        'Digest username="bob", response="***"',
    ),
    (
        "attack: digest keeps its public params",
        'Digest username="bob", realm="r", nonce="n1", uri="/x", response="abc", qop=auth, '
        'nc=00000001, cnonce="c"',
        'Digest username="bob", realm="r", nonce="***", uri="/x", response="***", qop=auth, '
        'nc=00000001, cnonce="***"',
    ),
    (
        "attack: challenge realm is not a secret",
        'WWW-Authenticate: Bearer realm="api", error="invalid_token"',
        'WWW-Authenticate: Bearer realm="api", error="invalid_token"',
    ),
    ("attack: quoted bearer credential", 'Bearer "abc123"', 'Bearer "***"'),
    (
        "scheme: a pair's name after a scheme word is a name",
        "basic access_token: S3cr3t00000000",
        "basic access_token: ***",
    ),
    ("scheme: a bare x=y first is a credential", "bearer S3cr3t=abc next", "bearer *** next"),
    (
        "attack: no-break spaces around =",
        "password\u00a0=\u00a0hunter2",
        "password\u00a0=\u00a0***",
    ),
    ("attack: em space after the separator", "password =\u2003hunter2", "password =\u2003***"),
    ("attack: line break before the separator", '"password"\n: "abc"', '"password"\n: "***"'),
    (
        "attack: pretty JSON, value on the next line",
        '{\n  "password":\n    "hunter2"\n}',
        '{\n  "password":\n    "***"\n}',
    ),
    ("attack: YAML value on the next line", "password:\n  abc", "password:\n  ***"),
    ("attack: backtick-quoted value", "password=`abc def`", "password=`***`"),
    (
        "attack: HTML-escaped query separator",
        "see https://h/?a=1&amp;token=abc&amp;b=2 now",
        "see https://h/?a=1&amp;token=***&amp;b=2 now",
    ),
    (
        "attack: marker planted in a quoted secret",
        '{"password": "abc...[truncated 5 chars]hunter2"}',
        '{"password": "***"}',
    ),
    (
        "attack: marker planted in a bare secret",
        "password=...[truncated 5 chars]hunter2",
        "password=***",
    ),
    (
        "attack: marker planted in a PEM body",
        "-----BEGIN PRIVATE KEY-----\nMII...[truncated 5 chars]body\n-----END PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----",
    ),
    (
        "truncation: a final marker is kept",
        "token=abc...[truncated 5 chars]",
        "token=***...[truncated 5 chars]",
    ),
    (
        "truncation: a cut older marker before the final one is kept",
        "token=ab...[trunc...[truncated 9 chars]",
        "token=***...[trunc...[truncated 9 chars]",
    ),
    (
        "attack: PEM header over 40 characters",
        "-----BEGIN " + "X" * 50 + " PRIVATE KEY-----\nabcSECRET",
        "-----BEGIN " + "X" * 50 + " PRIVATE KEY-----***",
    ),
    (
        "shape: a certificate is not a private key",
        "-----BEGIN CERTIFICATE-----\nMIIB",
        "-----BEGIN CERTIFICATE-----\nMIIB",
    ),
    ("attack: idempotence, text after brackets", "password=a[x]@]", "password=***]"),
    (
        "attack: idempotence, arrow after a PEM footer",
        ")sk-aaaaaaaaaaaaaaaaaaaa\n-----END PRIVATE KEY------>*.=()"
        "-----END PRIVATE KEY-----Tokenpassword",
        ")***\n-----END PRIVATE KEY------>*** PRIVATE KEY-----Tokenpassword",
    ),
    (
        "url: a list after a URL with a query and a fragment",
        "https://u:P1@h1/?a=1#f,https://u:P2@h2/x",
        "https://u:***@h1/?a=1#f,https://u:***@h2/x",
    ),
    (
        "leak: private key after a scheme's credential",
        "basic eyJ_-----BEGIN PRIVATE KEY-----\nMIIsecret\n-----END PRIVATE KEY-----",
        "basic ***-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----",
    ),
    (
        "leak: private key on a header line",
        "Authorization: x -----BEGIN PRIVATE KEY-----\nMIIsecret\n-----END PRIVATE KEY-----",
        "Authorization: ***-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----",
    ),
    (
        "scheme: a quoted pair's name after a scheme word is a name",
        'basic "access_token": "S3cr3t00000000"',
        'basic "access_token": "***"',
    ),
    (
        "idempotence: a pair's name glued to a scheme",
        "=>}Bearer -token:((_",
        "=>}Bearer -token:***",
    ),
    (
        "url: a pair after a masked URL",
        "https://u:p@h/x,password=S",
        "https://u:***@h/x,password=***",
    ),
    (
        "url: a pair after a masked URL in prose",
        "see https://u:p@h/x;token=abc now",
        "see https://u:***@h/x;token=*** now",
    ),
    # a URL's secrets do not hide the rest of it from the other rules; masks that meet join
    (
        "idempotence: a pair in the query of a URL with a password",
        "https://u:p@h/x?password->abc",
        "https://u:***@h/x?password->***",
    ),
    (
        "idempotence: a pair after the password of a URL",
        "see http://hu:p@sig:/@= now",
        "see http://hu:***@sig:*** now",
    ),
    (
        "idempotence: a fragment pair read by the URL and the pair rules",
        "ftp://h/a#sig-=>?sig",
        "ftp://h/a#sig-=***",
    ),
    # a text that is one URL alone is read whole, quotes and "<>" included, however many
    # URLs its query holds: masking one of those keeps it one URL for a second reading
    (
        "url: a text that is one URL is read whole, a quote in its query included",
        'https://h/?q="x"&key=S3cr3t',
        'https://h/?q="x"&key=***',
    ),
    (
        "idempotence: a URL in the query of a text that is one URL, before a quote",
        "https://h/?token=S3cr3thttps://x/`tail",
        "https://h/?token=***",
    ),
    (
        "idempotence: a URL in the query of a text that is one URL, before '>'",
        "https://h/?token=S3cr3thttp://u:p@h*=>",
        "https://h/?token=***",
    ),
    (
        "url: a URL after a quote in the path of a text that starts with a URL",
        'https://h/x"https://u:P4ss@h2/',
        'https://h/x"https://u:***@h2/',
    ),
    (
        "url: a URL right after another in a list, its scheme short",
        "ws://a,ws://u:P@b",
        "ws://a,ws://u:***@b",
    ),
    (
        "private_key: two keys inside one quoted value",
        'token="S-----BEGIN PRIVATE KEY-----\nA1\n-----END PRIVATE KEY-----\n'
        '-----BEGIN PRIVATE KEY-----\nB2\n-----END PRIVATE KEY-----"',
        'token="***-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----\n'
        '-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----"',
    ),
    (
        "scheme: a private key's header ends an auth-param's value",
        'Digest nonce="n-----BEGIN PRIVATE KEY-----\nA1\n-----END PRIVATE KEY-----"',
        'Digest nonce="***-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----"',
    ),
    (
        "idempotence: a private key's header ends a URL's secret",
        "https://h/?token=S3cr3t-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----",
        "https://h/?token=***-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----",
    ),
    (
        "idempotence: a value in a URL's query ends at its fragment for every rule",
        "see http://h?access_token=S3cr3t#top now",
        "see http://h?access_token=***#top now",
    ),
    (
        "url: a pair in the path with a password in the URL",
        "see https://u:p@h/x;api_key=abc,q=1 now",
        "see https://u:***@h/x;api_key=***,q=1 now",
    ),
    (
        "url: a pair in the path without a password in the URL",
        "see https://h/x;api_key=abc,q=1 now",
        "see https://h/x;api_key=***,q=1 now",
    ),
    # each credential prefix is read on its own: a failed one hides no other shape
    (
        "leak: a credential after a failed prefix of another shape",
        "xoxb-a_-sk-" + "A" * 24,
        "xoxb-a_-***",
    ),
    ("leak: a JWT after a too short sk- body", "sk-eyJabcdefgh.abcdefgh.abcdefgh", "sk-***"),
    ("leak: a Stripe key after a failed JWT prefix", "eyJ-rk_live_" + "b" * 16, "eyJ-***"),
    ("shape: a run of failed prefixes", "-eyJ" * 8, "-eyJ" * 8),
    ("shape: a prefix of the same shape inside a failed run", "sk-a-sk-abc def", "sk-a-sk-abc def"),
    # "API key" written as words is a sensitive name: any value after its separator goes
    ("pair: API key as words, any value", "Invalid API key: hunter2", "Invalid API key: ***"),
    ("pair: API key as words, lower case", "invalid api key: 1234.", "invalid api key: ***"),
    (
        "pair: API key as words, quoted value",
        'Invalid API key: "abc def"',
        'Invalid API key: "***"',
    ),
    (
        "over-mask: API key in prose, no separator",
        "Invalid API key provided.",
        "Invalid API key provided.",
    ),
    (
        "over-mask: API key ending a sentence",
        "Error: Invalid API key. Check it",
        "Error: Invalid API key. Check it",
    ),
    (
        "contract: 'API key provided:' names no secret, a key there goes by its shape",
        "Incorrect API key provided: hunter2. See the docs",
        "Incorrect API key provided: hunter2. See the docs",
    ),
    # pairs in a row, read in one step
    (
        "pair: a row of pairs",
        "token=a token=b&token=c;token='d e' x",
        "token=*** token=***&token=***;token='***' x",
    ),
    ("pair: a row of quoted pairs", "token='a'token='b'", "token='***'token='***'"),
    ("pair: a row with a masked value", "token=*** token=b", "token=*** token=***"),
    ("pair: a row ending in a scheme word", "token=a token=Bearer xyz1", "token=*** token=***"),
    (
        "pair: a row with a value naming the next pair",
        "token=a token=password = x",
        "token=*** token=password = ***",
    ),
    # a fifth independent attack on the grammar
    # an empty value: the name of the next pair is that pair, not the value
    ("attack5: YAML, a nested pair", "secret:\n  password: S", "secret:\n  password: ***"),
    ("attack5: YAML, a flat pair", "password:\ntoken: S", "password:\ntoken: ***"),
    ("attack5: a header after an empty value", "token=\nCookie: sid=S", "token=\nCookie: ***"),
    ("attack5: a name of words after an empty value", "sig= API key: S", "sig= API key: ***"),
    (
        "attack5: a header after an empty value and a blank line",
        "password=\n\nSet-Cookie: a=S",
        "password=\n\nSet-Cookie: ***",
    ),
    ("attack5: a name glued to its = is part of the value", "password=token=S", "password=***"),
    (
        "attack5: a name and a spaced = is the next pair",
        "password=\ntoken = S",
        "password=\ntoken = ***",
    ),
    (
        "attack5: a value before a name of words is a value",
        "password= hunter2 token: S",
        "password= *** token: ***",
    ),
    ("attack5: a value on the next line stays a value", "password:\n  S", "password:\n  ***"),
    (
        "attack5: a compound name after an empty value goes with its value",
        "secret:\n  db_password: S",
        "secret:\n  *** ***",
    ),
    # a value glued to a sensitive name: both values go
    ("attack5: a value glued to a camelCase name", "token=SToken : x", "token=*** ***"),
    ("attack5: a value glued to a dotted name", "password=S.password : x", "password=*** ***"),
    ("attack5: a value glued to a name and its colon", "token=SToken: x y", "token=*** *** y"),
    # an escape, a letter and a quote are no string prefix: the bare word is the value
    ("attack5: an escape and a quote before a value", 'password=\\f"S', "password=***"),
    # (an escaped line break after the separator is spacing: the quoted value follows it)
    ("attack5: an escape and a quoted value", "password=\\r'S'", "password=\\r'***'"),
    ("attack5: an escaped u before a quoted value", 'password=\\u"S"', 'password=***"'),
    ("attack5: an escape and a quote, then prose", 'password=\\b"S tail', "password=*** tail"),
    ("attack5: an escape before a prefixed string", "sig=\\rb'x", "sig=\\rb'***"),
    # JSON-escaped text: an escape's letter is not part of the next word
    (
        "attack5: an escaped line break before a pair",
        '{"msg": "line1\\npassword=S"}',
        '{"msg": "line1\\npassword=***"}',
    ),
    (
        "attack5: an escaped line break ends a header",
        '"err\\nCookie: sid=S\\nHost: h"',
        '"err\\nCookie: ***\\nHost: h"',
    ),
    ("attack5: an escaped line break before a scheme", '"x\\nBearer Ab1S"', '"x\\nBearer ***"'),
    ("attack5: an escaped tab before a shape", '"a\\t' + TOKEN + '"', '"a\\t***"'),
    ("attack5: an escaped tab before a name of words", "x\\tAPI key: S", "x\\tAPI key: ***"),
    ("attack5: an escaped line break before words", "x\\nsecret key: S", "x\\nsecret key: ***"),
    ("attack5: a backslash before a name is not an escape", "\\token=S", "\\token=***"),
    # URLs nested at any depth, and a scheme right after another
    (
        "attack5: a URL nested five deep in paths",
        "https://a/" + "https://h/" * 4 + "https://u:P@z/",
        "https://a/" + "https://h/" * 4 + "https://u:***@z/",
    ),
    (
        "attack5: a URL nested five deep in queries",
        "https://a/?" + "n=https://h/?" * 4 + "n=https://u:P@z/",
        "https://a/?" + "n=https://h/?" * 4 + "n=https://u:***@z/",
    ),
    (
        "attack5: a URL nested five deep in fragments",
        "https://a/#" + "https://h/#" * 4 + "https://u:P@z/",
        "https://a/#" + "https://h/#" * 4 + "https://u:***@z/",
    ),
    (
        "attack5: a URL nested a thousand deep",
        "https://a/" + "https://h/?n=" * 1000 + "https://u:P@z/?token=S",
        "https://a/" + "https://h/?n=" * 1000 + "https://u:***@z/?token=***",
    ),
    ("attack5: a doubled scheme", "https://https://u:P@h/", "https://https://u:***@h/"),
    # a private key whose footer a cut left only the start of
    (
        "attack5: the start of a footer ending the text stays",
        "-----BEGIN RSA PRIVATE KEY-----\nS\n-----END R",
        "-----BEGIN RSA PRIVATE KEY-----***-----END R",
    ),
    # a PGP private key's armour is a private key's block
    (
        "attack5: a PGP private key block",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: 1\n\nS\n=ab\n"
        "-----END PGP PRIVATE KEY BLOCK-----\ntail",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----***-----END PGP PRIVATE KEY BLOCK-----\ntail",
    ),
    (
        "attack5: a PGP private key block with no footer",
        "x -----BEGIN PGP PRIVATE KEY BLOCK-----\nS\nT",
        "x -----BEGIN PGP PRIVATE KEY BLOCK-----***",
    ),
    (
        "attack5: a PGP public key block stays",
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\nP\n-----END PGP PUBLIC KEY BLOCK-----",
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\nP\n-----END PGP PUBLIC KEY BLOCK-----",
    ),
    # ":=" is a separator (Go, Pascal, Python's walrus)
    ("attack5: a spaced := separator", "password := S", "password := ***"),
    ("attack5: a glued := separator", "password:=S x", "password:=*** x"),
    ("attack5: := after a name of words", "API key := S", "API key := ***"),
    # a Unicode space between the words of a name
    ("attack5: a thin space in a name of words", "API\u2009key: S", "API\u2009key: ***"),
    ("attack5: an ideographic space in a name", "API\u3000key: S", "API\u3000key: ***"),
    ("attack5: a narrow no-break space in a name", "Session\u202fID: S", "Session\u202fID: ***"),
    ("attack5: a no-break space in a name", "API\xa0key: S", "API\xa0key: ***"),
    (
        "attack5: thin spaces in a name of three words",
        "Invalid\u2009API\u2009key: S",
        "Invalid\u2009API\u2009key: ***",
    ),
    ("attack5: a line separator is no space in a name", "API\u2028key: S", "API\u2028key: S"),
    # a header's name written with "=" or "=>" and a cookie pair: the header, every pair
    ("attack5: Cookie= and cookie pairs", "Cookie=a=1; sid=S", "Cookie=***"),
    ("attack5: cookie => and cookie pairs", "cookie => a=1; b=S", "cookie => ***"),
    ("attack5: Set-Cookie= and cookie pairs", "Set-Cookie=a=1; b=S\nnext", "Set-Cookie=***\nnext"),
    (
        "attack5: cookie= and one value is a pair",
        "cookie=x\ncookie=a=1; b=S",
        "cookie=***\ncookie=***",
    ),
    ("attack5: cookie= and a plain value stays a pair", "cookie=x; y", "cookie=***; y"),
    # idempotence: a second pass finds nothing more to mask
    (
        "attack5: a text that is one URL, a URL nested in its authority",
        "http://sig=http://-`;u:p@abcdefgh.",
        "http://sig=***`;u:***@abcdefgh.",
    ),
    (
        "attack5: a mask that takes a space leaves a text that is one URL",
        "https://h/?token=x=K@Bearer basic>.",
        "https://h/?token=***>.",
    ),
    (
        "attack5: a Digest URL and auth-params after a comma, no space",
        'Digest https://u:p@h/x,nonce="n",response=abc',
        'Digest https://u:***@h/x,nonce="***",response=***',
    ),
    (
        "attack5: a cookie parameter in a URL ends with the URL's value",
        "https://h/?cookie=a=1&b=2 x",
        "https://h/?cookie=***&b=2 x",
    ),
    # rows of an independent attack read against the contract (attack7)
    (
        "attack7: a URL's run of key=",
        "https://h/?&key=a&KEY=b#key=c x",
        "https://h/?&key=***&KEY=***#key=*** x",
    ),
    (
        "attack7: a URL's run of key= and token= in turns",
        "https://h/?&token=a&key=b&token=c&key=d",
        "https://h/?&token=***&key=***&token=***&key=***",
    ),
    (
        "attack7: a URL's run of a name not sensitive, then a secret",
        "https://h/?&tokens=1&tokens=2&token=x",
        "https://h/?&tokens=1&tokens=2&token=***",
    ),
    # a URL's run of a name not sensitive, its last value a scheme word ending the URL
    (
        "a URL's run of a name not sensitive ending in a scheme word, after a password",
        "https://u:pw@h/?tokens=Bearer abc123 ok",
        "https://u:***@h/?tokens=Bearer *** ok",
    ),
    (
        "the same, the name in the URL's path",
        "s://:p@h/0token=Bearer abc123",
        "s://:***@h/0token=Bearer ***",
    ),
    # the same run, its last value the first word of a name of words after the URL
    (
        "a URL's run ending in the first word of a name read after it, then '->'",
        "https://h/?key=vAPI key->S1 ok",
        "https://h/?key=*** key->*** ok",
    ),
    ("the same, then '='", "https://h/?key=password a=S1", "https://h/?key=*** a=***"),
    (
        "the same, a name not sensitive in the URL",
        "https://u:pw@h/?tokens=secret d: S1",
        "https://u:***@h/?tokens=secret d: ***",
    ),
    ("the same, a header's name", "https://h/#key=~Cookie:\tS1", "https://h/#key=***:\t***"),
    # a scheme word as a pair's value: its credential goes as far as a bare value would
    ("attack7: a scheme credential as a value, then '->'", "token: Bearer abc->S", "token: ***"),
    ("attack7: the same, then '=>'", "password=Bearer abcdef=>S x", "password=*** x"),
    ("attack7: the same after a name of words", "x api key: Bearer a->S", "x api key: ***"),
    ("attack7: the same, then a quote", "token: Bearer abc'S rest", "token: *** rest"),
    ("attack7: the same, then a double quote", 'token: Bearer abc"S rest', "token: *** rest"),
    ("attack7: the same, then a closing bracket", "token: Bearer abc)S rest", "token: *** rest"),
    ("attack7: the same, then a closing brace", "token: Bearer abc}S rest", "token: *** rest"),
    # a name of words before a separator, however spaced
    ("attack7: a name of words, then a spaced '->'", "session id -> S x", "session id -> *** x"),
    ("attack7: the same, the sensitive word first", "password hash -> S", "password hash -> ***"),
    ("attack7: a name of words, then a spaced ':'", "session id : S", "session id : ***"),
    (
        "attack7: a name of three words, then ':'",
        "password hash value: S",
        "password hash value: ***",
    ),
    # an escaped line break or tab ends a bare value, as whitespace does (escaped text)
    (
        "attack9: a value, an escaped line break, a scheme",
        "token=abc\\nBearer S1234567",
        "token=***\\nBearer ***",
    ),
    (
        "attack9: a credential, an escaped line break, a scheme",
        "Basic abc123\\nBearer S1234567",
        "Basic ***\\nBearer ***",
    ),
    (
        "attack9: a credential, an escaped line break, a pair",
        "Bearer abc123\\nsecret: S",
        "Bearer ***\\nsecret: ***",
    ),
    (
        "attack9: a credential, an escaped line break, a header",
        "Bearer abc123\\nCookie: sid=S",
        "Bearer ***\\nCookie: ***",
    ),
    (
        "attack9: a value, an escaped line break, a pair",
        "token=abc\\npassword=S",
        "token=***\\npassword=***",
    ),
    ("attack9: a value, an escaped tab, a word", "token=abc\\tdef", "token=***\\tdef"),
    (
        "attack9: a cookie pair, an escaped line break, prose",
        "Cookie=sid=abc\\nnext line",
        "Cookie=***\\nnext line",
    ),
    (
        "attack9: a quoted pair's scheme credential, an escaped line break",
        '"refresh token":Bearer abc\\n"pwd":S',
        '"refresh token":***\\n"pwd":***',
    ),
    ("attack9: an escaped backslash and a letter go on", "password=C:\\\\new x", "password=*** x"),
    ("attack9: an escaped backslash, then a line break", "password=a\\\\\\nb", "password=***\\nb"),
    # a scheme word as a pair's value, its credential quoted or in brackets
    ("attack9: a scheme word, then a quoted credential", 'token: Bearer "S"', "token: ***"),
    ("attack9: the same, single quotes", "token: Bearer 'S' x", "token: *** x"),
    ("attack9: a credential in parentheses", "Bearer (S1234567) x", "Bearer (***) x"),
    ("attack9: a credential in angle brackets", "Bearer <S1234567>", "Bearer <***>"),
    ("attack9: prose in parentheses stays", "Bearer (see docs)", "Bearer (see docs)"),
    ("attack9: a placeholder in angle brackets stays", "Bearer <token>", "Bearer <token>"),
    ("attack9: '&' ends a credential", "Basic abc123&Digest response=S", "Basic ***&Digest ***"),
    ("attack9: the same before a pair", "Bearer abc123&token=S", "Bearer ***&token=***"),
    # separator characters glued after a separator are no value
    ("attack9: '::=' after a name", "password ::= S x", "password ::= *** x"),
    ("attack9: '::' after a name of words", "api key:: S", "api key:: ***"),
    ("attack9: a spaced second separator", "password: = S x", "password: = *** x"),
    ("attack9: an arrow after a colon", "token: -> S", "token: -> ***"),
    # a Python triple-quoted value, to its closing quotes (or the line's end)
    ("attack9: a triple-quoted value", 'token = """S""" x', 'token = """***""" x'),
    ("attack9: single triple quotes", "token = '''S''' x", "token = '''***''' x"),
    ("attack9: an unclosed triple-quoted value", 'token = """S\nnext', 'token = """***\nnext'),
    # a header line that ends in a sensitive name and its separator: the value is below
    (
        "attack9: a cookie line ending in a name and ':'",
        "Cookie: a=1; token:\n  S",
        "Cookie: ***\n  ***",
    ),
    (
        "attack9: an authorization line ending in a name and ':'",
        "Authorization: Bearer abc123 password:\n S x",
        "Authorization: ***\n *** x",
    ),
    (
        "attack9: a cookie line ending in a plain name",
        "Cookie: a=1; max:\nnext",
        "Cookie: ***\nnext",
    ),
    (
        "spacing after header values stays in a run of header lines",
        "Cookie: a=1\nCookie: b=2 \n" * 3,
        "Cookie: ***\nCookie: *** \n" * 3,
    ),
    (
        "attack9: spacing after a header's value stays",
        "Bearer abc123\xa0Cookie: sid=1 ",
        "Bearer ***\xa0Cookie: *** ",
    ),
    # an escaped line break or tab before a value is spacing, as a real one is
    ("attack11: an escaped line break before a value", "password: \\n S", "password: \\n ***"),
    ("attack11: the same in JSON", '{"password": \\n "S"}', '{"password": \\n "***"}'),
    ("attack11: escaped tabs before a value", "token: \\t\\tS", "token: \\t\\t***"),
    (
        "attack11: a header line's last pair, its value escaped below",
        "Cookie: token:\\nS x",
        "Cookie: ***\\n*** x",
    ),
    # separator runs apart by spacing
    ("attack11: spaced separator runs", "password : : : S", "password : : : ***"),
    ("attack11: mixed separator runs", "password :: = S", "password :: = ***"),
    # triple-quoted values: prefixed, unclosed, escaped quotes inside
    (
        "attack11: an unclosed triple quote ends at its line",
        'token = """S\npassword=T x',
        'token = """***\npassword=*** x',
    ),
    (
        "attack11: an empty unclosed triple quote",
        'token = """\npassword=T',
        'token = """\npassword=***',
    ),
    ("attack11: a raw triple-quoted value", 'token = r"""S T"""', 'token = r"""***"""'),
    ("attack11: a bytes triple-quoted value, unclosed", 'token = b"""S', 'token = b"""***'),
    ("attack11: an escaped quote inside", 'password = """a\\"""S"""', 'password = """***"""'),
    (
        "escaped backslashes before triple quotes close them",
        'password = """a\\\\""" x',
        'password = """***""" x',
    ),
    # a scheme word as a pair's value, its credential on the next line
    ("attack11: a scheme word, then a line break", "token: Bearer\nS1234567", "token: ***\n***"),
    ("attack11: the same, quoted", 'token: bearer  \n "S T"', 'token: ***  \n "***"'),
    # a header ending in a scheme word: its credential below (a header's value is its line)
    (
        "attack11: a header's scheme, its credential below",
        "Authorization: Bearer\nS1234567",
        "Authorization: ***\n***",
    ),
    (
        "attack11: a header line below is no value",
        "Cookie:\nCookie: a=1\nx",
        "Cookie:\nCookie: ***\nx",
    ),
    (
        "attack11: header lines ending in a scheme word",
        "Authorization: Bearer\n" * 3,
        "Authorization: ***\n" * 3,
    ),
    (
        "attack11: prose below a header name stays",
        "The header is Cookie:\nThe next line",
        "The header is Cookie:\nThe next line",
    ),
    # spacing inside a quoted name of words; a scheme's credential after escaped line
    # breaks, or in square brackets
    (
        "attack11: a quoted name of words with a space inside",
        '{"session id ": "S x"}',
        '{"session id ": "***"}',
    ),
    (
        "attack11: a credential after escaped line breaks",
        "Bearer \\n\\n S1234567",
        "Bearer \\n\\n ***",
    ),
    (
        "attack11: a header's scheme, its credential after an escaped line break",
        "Authorization: Bearer \\n S1234567",
        "Authorization: *** \\n ***",
    ),
    ("attack11: a credential in square brackets", "Bearer [S1234567]", "Bearer [***]"),
    ("attack11: prose in square brackets stays", "Bearer [optional]", "Bearer [optional]"),
    # a quoted name read as the run in its quotes
    (
        "a quoted header name, then a quoted name spaced from ':'",
        '{"Cookie": "sid=S", "token" : "S"}',
        '{"Cookie": "***", "token" : "***"}',
    ),
    ("a quoted name not sensitive stays", '"tokens": "S"', '"tokens": "S"'),
    ("a name between unlike quotes", '\'token": "S"', '\'token": "***"'),
    ("a quoted name spaced from ':' and a bare value", '"token"  :  S x', '"token"  :  *** x'),
    # a quoted name of words, sensitive in normal form ("session id" is session_id)
    ("attack9: a JSON name of words", '{"session id": "S"}', '{"session id": "***"}'),
    ("attack9: a Python name of words", "{'session id': 'S'}", "{'session id': '***'}"),
    (
        "attack9: a quoted name of words in capitals",
        '"Password Hash": "S"',
        '"Password Hash": "***"',
    ),
    ("attack9: a backquoted name of words", "`password hash`: S x", "`password hash`: *** x"),
    (
        "attack9: an escaped quoted name of words",
        '\\"password hash\\": \\"S\\"',
        '\\"password hash\\": \\"***\\"',
    ),
    ("attack9: a half-quoted name of words", 'api key": "S"', 'api key": "***"'),
    ("attack9: the same before '='", 'API Key"= S x', 'API Key"= *** x'),
    ("attack9: the same, spaced", 'private key" = "S"', 'private key" = "***"'),
    ("attack9: the same, single quotes", "session id': 'S'", "session id': '***'"),
    (
        "attack9: a quoted word after a trigger stays",
        'the session "ended": ok',
        'the session "ended": ok',
    ),
    ("attack9: quoted prose stays", 'a "session id" was: fine', 'a "session id" was: fine'),
    (
        "a name of three words, then a glued '->'",
        "secret word other->S x",
        "secret word other->*** x",
    ),
    (
        "attack7: a chain of a name of words, then a spaced '->'",
        "session id: " * 3 + "session id -> S",
        "session id: " * 3 + "session id -> ***",
    ),
    (
        "attack7: prose with an arrow stays",
        "the session ended -> retry",
        "the session ended -> retry",
    ),
    # a scheme's credential shaped as a URL whose scheme is a credential: masked whole
    (
        "attack7: a credential shape as a URL's scheme after Bearer",
        "Bearer sk-" + "a" * 22 + "://c/S x",
        "Bearer *** x",
    ),
    ("attack7: the same after Token", "Token sk-" + "a" * 22 + "https://c/#", "Token ***"),
    # a JSON body cut inside a quoted name: the name's characters before its closing quote
    (
        "attack7: a quoted name cut before its opening quote",
        'access_token": "S", "x": 1',
        'access_token": "***", "x": 1',
    ),
    ("attack7: the same, a name not sensitive stays", 'tokens": "S"', 'tokens": "S"'),
    (
        "attack7: a URL after Bearer stays a URL",
        "Bearer https://u:p@h/x",
        "Bearer https://u:***@h/x",
    ),
    # attack12: header lines ending in a scheme word are read at once, but for the last
    (
        "attack12: header lines ending in a scheme word, the last one's credential below",
        "Authorization: Bearer\n" * 3 + "S1234567 x",
        "Authorization: ***\n" * 3 + "*** x",
    ),
    (
        "attack12: the same, cookie lines",
        "Cookie: Bearer\nCookie: Bearer\nabcD123",
        "Cookie: ***\nCookie: ***\n***",
    ),
    # an escaped line break ends a header's line only when its backslash is not escaped
    (
        "attack12: a JSON header holding an escaped backslash and 'n'",
        '{"h": "Cookie: path=C:\\\\new; sid=S1x9"}',
        '{"h": "Cookie: ***',
    ),
    (
        "attack12: the same, Digest auth-params",
        '{"h": "Authorization: Digest dir=C:\\\\net, response=S1x9"}',
        '{"h": "Authorization: ***',
    ),
    ("attack12: the same, Set-Cookie", "Set-Cookie: a=C:\\\\repo; sid=S", "Set-Cookie: ***"),
    (
        "attack12: an escaped break after an escaped backslash ends the line",
        "Cookie: a=C:\\\\\\nnext line",
        "Cookie: ***\\nnext line",
    ),
    (
        "attack12: an unclosed triple quote holding an escaped backslash and 'n'",
        'token = """S\\\\nT',
        'token = """***',
    ),
    # triple quotes written escaped (Python source inside JSON) close at the same three
    (
        "attack12: escaped triple quotes in JSON",
        '{"source": "API_TOKEN = \\"\\"\\"sk9Xw2Lq7Zp\\"\\"\\"\\nok = 1"}',
        '{"source": "API_TOKEN = \\"\\"\\"***\\"\\"\\"\\nok = 1"}',
    ),
    (
        "attack12: escaped triple quotes",
        'token=\\"\\"\\"S1x9\\"\\"\\" ok',
        'token=\\"\\"\\"***\\"\\"\\" ok',
    ),
    (
        "attack12: escaped single triple quotes",
        "token=\\'\\'\\'S1x9\\'\\'\\' ok",
        "token=\\'\\'\\'***\\'\\'\\' ok",
    ),
    ("attack12: escaped triple quotes, unclosed", 'token=\\"\\"\\"S1 x', 'token=\\"\\"\\"***'),
    ("attack12: an empty escaped string stays", 'token=\\"\\" x', 'token=\\"\\" x'),
    # triple quotes after a separator open a value, so an unclosed value ends at its line
    (
        "attack12: an unclosed triple quote is not closed by the next one's opening",
        'token = """S1x9\npassword=T1x9\ntoken = """S2x9\npassword=T2x9',
        'token = """***\npassword=***\ntoken = """***\npassword=***',
    ),
    (
        "attack12: the same, a prefixed opening",
        'token = """S1x9\nok\ntoken = r"""S2x9"""',
        'token = """***"""',
    ),
    (
        "attack12: the same after '=>' and single quotes",
        "token => '''S1\ntoken => '''S2",
        "token => '''***\ntoken => '''***",
    ),
    ("attack12: a value spanning lines", 'token = """S1\nT1"""  ok', 'token = """***"""  ok'),
    (
        "attack12: triple quotes after prose close",
        'x = """doc: """ token=S',
        'x = """doc: """ token=***',
    ),
    # a scheme word as a pair's value, auth-params after it: read as the scheme rule reads them
    (
        "attack12: Digest auth-params after a pair's scheme value",
        'auth = Digest username="u", nonce="n", response="S1x9", opaque="S2x9"',
        'auth = *** username="u", nonce="***", response="***", opaque="***"',
    ),
    (
        "attack12: the same on the next line",
        'credentials: Digest\nusername="u", response="S1x9"',
        'credentials: ***\nusername="u", response="***"',
    ),
    (
        "attack12: the same after an escaped line break",
        'auth: Digest\\nusername="u", response="S1x9" ok',
        'auth: ***\\nusername="u", response="***" ok',
    ),
    (
        "attack12: a public auth-param after a pair's scheme value",
        'token: Bearer realm="api"',
        'token: *** realm="api"',
    ),
    # separator runs apart by escaped line breaks or tabs
    (
        "attack12: separators apart by escaped line breaks",
        "password:\\n:\\nS1x9",
        "password:\\n:\\n***",
    ),
    ("attack12: the same, escaped tabs", "password:\\t:\\tS1x9", "password:\\t:\\t***"),
    (
        "attack12: the same in JSON",
        '{"password":\\n:\\n"S1x9"}',
        '{"password":\\n:\\n"***"}',
    ),
    # an escaped line break or tab between a name and its separator is spacing
    (
        "attack12: an escaped line break before the separator",
        "password\\n: S1x9",
        "password\\n: ***",
    ),
    ("attack12: an escaped tab before '='", "password\\t= S1x9 x", "password\\t= *** x"),
    (
        "attack12: the same, a quoted name of words",
        '"session id "\\n: S1x9',
        '"session id "\\n: ***',
    ),
    (
        "attack12: an escaped backslash and 'n' is no spacing",
        "password\\\\n: S",
        "password\\\\n: S",
    ),
    (
        "attack12: prose after an escaped break stays",
        "the password\\n is fine",
        "the password\\n is fine",
    ),
    # a quoted name with escaped spacing at its ends, as json.dumps writes a key with a break
    (
        "attack12: a quoted name ending in an escaped line break",
        '{"password\\n": "S1x9"}',
        '{"password\\n": "***"}',
    ),
    (
        "attack12: a quoted name starting with an escaped tab",
        '{"\\tpassword": "S1x9"}',
        '{"\\tpassword": "***"}',
    ),
    (
        "attack12: a quoted name of words, the same",
        '{"api key\\n": "S1x9", "x": 1}',
        '{"api key\\n": "***", "x": 1}',
    ),
    (
        "attack12: a quoted name of words ending in an escaped tab",
        '{"session id\\t": "S1x9"}',
        '{"session id\\t": "***"}',
    ),
    (
        "attack12: prose with an escaped tab before a separator stays",
        "the session id\\t is: ok",
        "the session id\\t is: ok",
    ),
    ("attack12: another name with an escaped break stays", '{"x\\n": "S1x9"}', '{"x\\n": "S1x9"}'),
    # a bare value glued to a run of quotes and more of it (no string prefix before them)
    (
        "attack12: triple quotes after a letter that is no prefix",
        'token = x"""S1x9""" ok',
        'token = ***""" ok',
    ),
    ("attack12: the same after 't'", 'token = t"""S1x9""" ok', 'token = ***""" ok'),
    ("attack12: the same, single quotes", "token = x'''S1x9''' ok", "token = ***''' ok"),
    ("attack12: quotes ending a bare value stay", 'token=abc"" next', 'token=***"" next'),
    # a scheme's credential in backticks or escaped quotes
    ("attack12: a credential in backticks", "send Bearer `abcD123` in", "send Bearer `***` in"),
    (
        "attack12: a credential in escaped quotes",
        '{"hint": "send Bearer \\"abcD123\\""}',
        '{"hint": "send Bearer \\"***\\""}',
    ),
    (
        "attack12: a credential in escaped single quotes",
        "Bearer \\'abcD123\\' x",
        "Bearer \\'***\\' x",
    ),
    (
        "attack12: a word of prose in backticks stays",
        "Bearer `token` expired",
        "Bearer `token` expired",
    ),
    # a half-quoted name of words with spacing before its closing quote
    ("attack12: a half-quoted name, spacing before its quote", 'api key ": S1x9', 'api key ": ***'),
    ("attack12: the same, one word", 'password ": S x', 'password ": *** x'),
    ("attack12: the same, no sensitive name, stays", 'the key ": x', 'the key ": x'),
    # a quoted credential after a pair's scheme value, and what is glued after its quote
    (
        "attack12: an empty quoted credential, a word glued after it",
        'password=Digest ""token = x',
        "password=*** = x",
    ),
    (
        "attack12: a triple-quoted credential after a pair's scheme value",
        'password=Digest """S1x9',
        "password=***",
    ),
    # a doubly escaped line break or tab before a value (escaped text inside JSON)
    (
        "attack12: a doubly escaped line break before a value",
        '{"a": "password: \\\\n S1x9"}',
        '{"a": "password: \\\\n ***"}',
    ),
    (
        "attack12: doubly escaped tabs",
        '{"a": "password: \\\\t\\\\tS1x9 ok"}',
        '{"a": "password: \\\\t\\\\t*** ok"}',
    ),
    # auth-params whose values stand in escaped or single quotes, as the quoted ones are read
    (
        "attack14: Digest auth-params in escaped quotes after a pair's scheme value",
        'auth = Digest username=\\"u\\", response=\\"S1x9\\"',
        'auth = *** username=\\"u\\", response=\\"***\\"',
    ),
    (
        "attack14: the same inside a JSON string",
        '{"msg": "auth = Digest username=\\"u\\", response=\\"S1x9\\""}',
        '{"msg": "auth = *** username=\\"u\\", response=\\"***\\""}',
    ),
    (
        "attack14: Digest auth-params in escaped quotes after the scheme word",
        'x Digest username=\\"u\\", response=\\"S1x9\\", nc=00000001',
        'x Digest username=\\"u\\", response=\\"***\\", nc=00000001',
    ),
    (
        "attack14: Digest auth-params in single quotes after a pair's scheme value",
        "auth = Digest username='u', response='S1x9'",
        "auth = *** username='u', response='***'",
    ),
    (
        "attack14: the same after the scheme word",
        "x Digest username='u', response='S1x9' ok",
        "x Digest username='u', response='***' ok",
    ),
    (
        "attack14: a quoted scheme word as a pair's value, auth-params after it",
        'auth = "Digest" username="u", response="S1x9"',
        'auth = "***" username="u", response="***"',
    ),
    (
        "attack14: the same, a credential after it",
        "auth = 'Bearer' abcD123 x",
        "auth = '***' *** x",
    ),
    (
        "attack14: the same, prose after it stays",
        'auth = "Digest" authentication failed',
        'auth = "***" authentication failed',
    ),
    # a scheme's credential in doubly escaped quotes (JSON inside JSON) or a run of backticks
    (
        "attack14: a credential in doubly escaped quotes",
        'Bearer \\\\"abcD123\\\\" x',
        'Bearer \\\\"***\\\\" x',
    ),
    (
        "attack14: a credential in doubly escaped quotes inside a JSON string",
        '{"h": "Bearer \\\\\\"abcD123\\\\\\""}',
        '{"h": "Bearer \\\\\\"***\\\\\\""}',
    ),
    ("attack14: a credential in double backticks", "Bearer ``abcD123`` x", "Bearer ``***`` x"),
    (
        "attack14: a word of prose in double backticks stays",
        "Bearer ``token`` expired",
        "Bearer ``token`` expired",
    ),
    (
        "attack14: code spans in prose stay",
        "use ``code`` spans, the token field",
        "use ``code`` spans, the token field",
    ),
    # a pair's value in a run of backticks (a Markdown code span or fence), to the same run
    ("attack14: a value in triple backticks", "token=```S1x9``` ok", "token=```***``` ok"),
    ("attack14: a value in double backticks", "token=``S1x9`` ok", "token=``***`` ok"),
    (
        "attack14: a value in a fenced block",
        "password: ```\nS1x9\n``` ok",
        "password: ```***``` ok",
    ),
    (
        "attack14: an unclosed code span, to the end of its line",
        "token=``S1 x\nok",
        "token=``***\nok",
    ),
    (
        "attack14: an unclosed fence, the next line",
        "password: ```\nS1x9\nok",
        "password: ```\n***\nok",
    ),
    (
        "attack14: an unclosed fence with an info string, the next line too",
        "password: ```json\nS1x9\nok",
        "password: ```***\n***\nok",
    ),
    (
        "attack14: a pair on the line after an unclosed fence is read as its own",
        "password: ```\ntoken: S1x9 ok",
        "password: ```\ntoken: *** ok",
    ),
    ("attack14: a run of backticks alone opens an unclosed span", "token=```` ok", "token=````***"),
    # an unclosed triple-quoted value with nothing after its opening on its line
    (
        "attack14: an unclosed triple quote, then a line break",
        'token = """\nS1x9\nok',
        'token = """\n***\nok',
    ),
    (
        "attack14: the same, escaped line breaks",
        'token = """\\n\\nS1x9\\nok',
        'token = """\\n\\n***\\nok',
    ),
    # a half-quoted name with escaped spacing before its closing quote
    (
        "attack14: a half-quoted name, an escaped tab before its quote",
        'api key\\t": S1x9 x',
        'api key\\t": *** x',
    ),
    ("attack14: the same, an escaped line break", 'api key\\n": S1x9 x', 'api key\\n": *** x'),
    (
        "attack14: the same, escaped tabs all around",
        'x api key\\t"\\t:\\tS1x9 x',
        'x api key\\t"\\t:\\t*** x',
    ),
    ("attack14: the same, no sensitive name, stays", 'the key\\t": x', 'the key\\t": x'),
    # auth-params apart by semicolons or spaces
    (
        "attack14: Digest auth-params apart by semicolons",
        'auth = Digest username="u"; response="S1x9"',
        'auth = *** username="u"; response="***"',
    ),
    (
        "attack14: Digest auth-params apart by a space",
        'x Digest username="u" response="S1x9" and more',
        'x Digest username="u" response="***" and more',
    ),
    (
        "attack14: a pair on the next line is no auth-param",
        'x Digest realm="u"\nnonce=abc',
        'x Digest realm="u"\nnonce=abc',
    ),
    # in plain text a backslash and "n" in a header's line reads as an escaped line break
    # (JSON text is the common case), which ends the line; a JSON-escaped one does not
    (
        "attack14: a single backslash and 'n' in a header ends its line",
        "Cookie: path=C:\\new; sid=S1x9",
        "Cookie: ***\\new; sid=S1x9",
    ),
    # an empty string glued to a word opens no string: it is part of a bare value
    ("attack14: an empty string glued to a value", 'token=""S1x9 ok', "token=*** ok"),
    (
        "attack14: an empty triple-quoted string glued to a value",
        'token = """"""S1x9 ok',
        "token = *** ok",
    ),
    ("attack14: an empty string alone stays", 'token = """""" ok', 'token = """""" ok'),
    # the words of a name apart by an escaped tab, as by a tab
    (
        "attack14: a half-quoted name of words apart by an escaped tab",
        'api\\tkey ": S1x9 x',
        'api\\tkey ": *** x',
    ),
    ("attack14: the same, bare", "session\\tid: S1x9 x", "session\\tid: *** x"),
    (
        "attack14: the same, apart by an escaped line break, stays",
        "password\\nkey: x",
        "password\\nkey: x",
    ),
    ("attack14: prose with an escaped tab stays", "the api\\tkey is: x", "the api\\tkey is: x"),
    ("attack14: an empty escaped auth-param stays", 'Digest a=\\"\\"', 'Digest a=\\"\\"'),
    (
        "attack14: prose after Digest stays",
        "Digest authentication failed",
        "Digest authentication failed",
    ),
    # a URL's value then a name of words: the name is read back across the URL's secret
    (
        "attack16: a URL value then a name of words",
        "https://h/?key=api key: S1x9",
        "https://h/?key=*** key: ***",
    ),
    (
        "attack16: the same, two URL values",
        "https://h/?key=a&key=api key: S1x9",
        "https://h/?key=***&key=*** key: ***",
    ),
    (
        "attack16: the same, a hyphenated word",
        "https://h/?token=x-api key: S1x9",
        "https://h/?token=*** key: ***",
    ),
    (
        "attack16: the same, apart by an escaped tab",
        "https://h/?key=password \\tkey: S1x9",
        "https://h/?key=*** \\tkey: ***",
    ),
    (
        "attack16: the same, a quoted value after",
        'https://h/?sig=api key: "S1x9"',
        'https://h/?sig=*** key: "***"',
    ),
    (
        "attack16: a URL value then prose stays",
        "https://h/?q=api key docs",
        "https://h/?q=api key docs",
    ),
    # a name apart by an escaped tab is the next pair's name, not the value before it
    (
        "attack16: a name apart by an escaped tab after a pair",
        "token: api\\tkey: S1x9",
        "token: api\\tkey: ***",
    ),
    ("attack16: the same, glued =", "token=api\\tkey: S1x9 x", "token=api\\tkey: *** x"),
    ("attack16: the same, hyphenated", "token: x-api\\tkey: S1x9", "token: x-api\\tkey: ***"),
    ("attack16: the same, repeated", "api\\tkey: api\\tkey: S1x9", "api\\tkey: api\\tkey: ***"),
    (
        "attack16: the same, half-quoted",
        'token: api key\\t": S1x9',
        'token: api key\\t": ***',
    ),
    ("attack16: the same, half-quoted, spaced", 'token: api key": S1x9', 'token: api key": ***'),
    (
        "attack16: a value before an escaped tab and prose stays masked",
        "token: abc\\tkey is x",
        "token: ***\\tkey is x",
    ),
    # a scheme word as a pair's value: the next pair's name after it is no credential
    (
        "attack16: a scheme word then the next pair's name",
        "token: Bearer\npassword: S1x9",
        "token: ***\npassword: ***",
    ),
    ("attack16: the same, one line", "token: Bearer password: S1x9", "token: *** password: ***"),
    (
        "attack16: the same, spaced =",
        "token: Bearer\npassword = S1x9",
        "token: ***\npassword = ***",
    ),
    (
        "attack16: the same, a name of words",
        "token: Bearer\napi key: S1x9",
        "token: ***\napi key: ***",
    ),
    (
        "attack16: the same, a quoted name",
        'token: Bearer\n"password": S1x9',
        'token: ***\n"password": ***',
    ),
    (
        "attack16: the same, pair lines in a run",
        "auth: Digest\n" * 7 + "password: S1x9 ok",
        "auth: ***\n" * 7 + "password: *** ok",
    ),
    (
        "attack16: the same, spaced = in a run",
        "auth = Digest " * 7 + "password: S1x9 ok",
        "auth = *** " * 7 + "password: *** ok",
    ),
    (
        "attack16: a credential below a scheme word is still masked",
        "token: Bearer\nabcD123\n",
        "token: ***\n***\n",
    ),
    (
        "attack16: a credential below, then a name of words",
        "token: Bearer\nabc token: Bearer\napi token: Bearer\nS1x9",
        "token: ***\n*** token: ***\napi token: ***\n***",
    ),
    (
        "attack16: a glued pair below is the credential",
        "token: Bearer\npassword=S1x9",
        "token: ***\n***",
    ),
    # a pair after a scheme word, and auth-param values read as a pair's values are
    (
        "attack16: a triple-quoted pair after a scheme word",
        'Bearer token = """S1x9"""',
        'Bearer token = """***"""',
    ),
    ("attack16: the same, glued =", 'Bearer token="""S1x9"""', 'Bearer token="""***"""'),
    (
        "attack16: the same, an empty string glued",
        'Bearer token = ""S1x9 ok',
        "Bearer token = *** ok",
    ),
    ("attack16: the same, unclosed, below", 'Basic\ntoken = """S1x9 ok', 'Basic\ntoken = """***'),
    (
        "attack16: the same after a pair",
        'password=Basic\ntoken = """S1x9\n',
        'password=***\ntoken = """***\n',
    ),
    (
        "attack16: a backticked pair below a scheme value",
        "password=Basic\ntoken = ``S1x9`` ok",
        "password=***\ntoken = ``***`` ok",
    ),
    (
        "attack16: a bracketed pair below a scheme value",
        "password=Basic\ntoken = [S1x9] ok",
        "password=***\ntoken = *** ok",
    ),
    (
        "attack16: a triple-quoted auth-param value",
        'Digest username="u", response="""S1x9"""',
        'Digest username="u", response="""***"""',
    ),
    (
        "attack16: the same, single quotes",
        "Digest username='u', response='''S1x9''' ok",
        "Digest username='u', response='''***''' ok",
    ),
    (
        "attack16: a backticked auth-param value",
        'Digest username="u", response=``S1x9`` ok',
        'Digest username="u", response=*** ok',
    ),
    (
        "attack16: an auth-param value glued to an empty string",
        'Digest username="u", response=""S1x9 ok',
        'Digest username="u", response=*** ok',
    ),
    (
        "attack16: a bracketed auth-param value",
        'Digest username="u", response=[S1x9] ok',
        'Digest username="u", response=*** ok',
    ),
    (
        "attack16: empty auth-param values stay",
        'Digest realm="", a="""""" ok',
        'Digest realm="", a="""""" ok',
    ),
    # a masked token68 then a spaced "=" is read the same the second time
    ("attack16: a token68 then a spaced = and a quote", 'Basic a=1 ="x" ok', 'Basic *** ="x" ok'),
    ("attack16: the same, masked, stays", 'Digest *** ="x" ok', 'Digest *** ="x" ok'),
    # a scheme word's credential in backticks below it
    (
        "attack16: a code span below a scheme value",
        "password: Basic\n``S1x9``",
        "password: ***\n``***``",
    ),
    (
        "attack16: a fence below a scheme value",
        "password: Basic\n```\nS1x9\n```",
        "password: ***\n```***```",
    ),
    (
        "attack16: the same after a run of scheme values",
        "token: Bearer\n" * 7 + "``S1x9abc`` ok",
        "token: ***\n" * 7 + "``***`` ok",
    ),
    # a quoted scheme word as a pair's value: auth-params after it, however they follow
    (
        "attack16: an escaped-quoted scheme word, auth-params after it",
        'auth = \\"Digest\\" username=\\"u\\", response=\\"S1x9\\"',
        'auth = \\"***\\" username=\\"u\\", response=\\"***\\"',
    ),
    (
        "attack16: auth-params glued to a quoted scheme word",
        'auth = "Digest"username="u", response="S1x9"',
        'auth = "***"username="u", response="***"',
    ),
    (
        "attack16: a quoted scheme word then prose",
        'token = "Bearer", see the docs',
        'token = "***", see the docs',
    ),
    # quotes: 7 or more glued to a word, an empty triple-quoted string glued after a line
    ("attack16: seven quotes glued to a value", 'token = """""""S1x9 ok', "token = *** ok"),
    ("attack16: the same, single quotes", "token = '''''''S1x9 ok", "token = *** ok"),
    (
        "attack16: an empty triple-quoted string glued below an unclosed one",
        'token = """x\ntoken = """"""S1x9 ok',
        'token = """***\ntoken = *** ok',
    ),
    ("attack16: twelve quotes alone stay", 'token = """""""""""" ok', 'token = """""""""""" ok'),
    # a name and separator inside a code span hold no value
    (
        "attack16: a name and separator in a code span stay",
        "Missing argument ``password=``; see the docs.",
        "Missing argument ``password=``; see the docs.",
    ),
    (
        "attack16: the same, prose after",
        "Pass ``token=`` or set ``API_TOKEN`` in the environment.",
        "Pass ``token=`` or set ``API_TOKEN`` in the environment.",
    ),
    (
        "attack16: a value glued after such a span is masked",
        "x ``token=``S1x9`` ok",
        "x ``token=``***`` ok",
    ),
]

URL_ROWS: list[tuple[str, str, str]] = [
    (
        "attack5: a URL nested five deep in paths",
        "https://a/" + "https://h/" * 4 + "https://u:P@z/",
        "https://a/" + "https://h/" * 4 + "https://u:***@z/",
    ),
    (
        "attack5: a parameter five URLs deep",
        "https://a/?n=https://b/?n=https://c/?n=https://d/?n=https://e/?n=https://f/?token=P",
        "https://a/?n=https://b/?n=https://c/?n=https://d/?n=https://e/?n=https://f/?token=***",
    ),
    (
        "attack5: a URL nested a thousand deep in fragments",
        "https://a/" + "#https://h/" * 1000 + "#https://u:P@z/",
        "https://a/" + "#https://h/" * 1000 + "#https://u:***@z/",
    ),
    ("attack5: a doubled scheme", "https://https://u:P@h/", "https://https://u:***@h/"),
    (
        "attack5: a scheme-relative URL in a value",
        "https://h/?next=//u:P@g/",
        "https://h/?next=//u:***@g/",
    ),
    (
        "attack5: a sensitive value holding a URL goes whole",
        "https://h/?token=https://u:P@g/?a=1&b=2",
        "https://h/?token=***&b=2",
    ),
    (
        "a '?' in a sensitive value starts no parameter, so no authority after it",
        "https://h/?token=a?b=//x&c=u:p@h",
        "https://h/?token=***&c=u:p@h",
    ),
]


@pytest.mark.parametrize(
    ("url", "expected"), [r[1:] for r in URL_ROWS], ids=[r[0] for r in URL_ROWS]
)
def test_url_row(url: str, expected: str) -> None:
    """``redact_url`` masks exactly the secrets of each row, and a second pass changes nothing."""
    once = redact_url(url)
    assert once == expected
    assert redact_url(once) == once


@pytest.mark.parametrize(
    ("text", "expected"), [r[1:] for r in RULE_ROWS], ids=[r[0] for r in RULE_ROWS]
)
def test_rule(text: str, expected: str) -> None:
    """Each rule masks exactly the secret it names, and a second pass changes nothing."""
    once = redact_text(text)
    assert once == expected
    assert redact_text(once) == once


def test_every_credential_shape_has_a_row() -> None:
    """Each prefix of the shape table is pinned by a row, so a new shape needs one."""
    rows = " ".join(text for _, text, _ in RULE_ROWS)
    for shape in redaction.CREDENTIAL_SHAPES:
        assert any(prefix in rows for prefix in shape.prefixes), shape


# --------------------------------------------------------------------------- properties

_SECRET = st.from_regex(r"S3[a-z0-9]{6,12}", fullmatch=True)
_PROSE = st.sampled_from(
    ["", " ", "\n", "error: ", "see ", ", ", "; ", " (", ") ", "[", "]", '"', "'", "&", "x=1&"]
)


def _planted(name: str, secret: str) -> list[str]:
    """One snippet per rule carrying ``secret``."""
    return [
        f"{name}={secret}",
        f'"{name}": "{secret}"',
        f"{name}: [{secret!r}]",
        f"Authorization: Bearer {secret}",
        f"Bearer {secret}",
        f"https://user:{secret}@host/p",
        f"https://host/p?{name}={secret}&a=1",
        f"Cookie: a=1; b={secret}",
    ]


@given(
    st.lists(
        st.tuples(
            _PROSE,
            st.sampled_from(["token", "api_key", "clientSecret", "X-Auth-Token"]),
            _SECRET,
            st.integers(0, 7),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_no_planted_secret_survives(parts: list[tuple[str, str, str, int]]) -> None:
    """Secrets planted by any rule, mixed with prose and each other, never survive."""
    text = "".join(
        prose + _planted(name, secret)[rule] + " " for prose, name, secret, rule in parts
    )
    once = redact_text(text)
    for _, _, secret, _ in parts:
        assert secret not in once
    assert redact_text(once) == once


_PIECES = [
    *"ab:=&;,\"'[]{}()\\ \n-_.@/?#*>",
    "Bearer ",
    "token",
    "https://",
    "sk-",
    "S3cr3t1",
    # URLs with a password, and pairs a URL may hold (in its path, query or fragment)
    "https://u:p@h/x",
    "ftp://h/a",
    "u:p@",
    "password",
    "sig",
    "->",
    "=>",
    # a private key's header, which ends every other rule's value
    "-----BEGIN PRIVATE KEY-----",
    "`",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_redaction_is_idempotent_on_any_text(text: str) -> None:
    """Redacting redacted text changes nothing, whatever the text."""
    once = redact_text(text)
    assert redact_text(once) == once


_URL_HEADS = [
    "https://u:p@h/x",
    "http://hu:p@h",
    "https://u@h/x",
    "https://h/x",
    "see https://u:p@h/x",
]
_URL_PAIRS = st.tuples(
    st.sampled_from(["?", ";", "/", "#", "?a=1&", "#x&", ",", "("]),
    st.sampled_from(["password", "token", "sig", "api_key", "Bearer"]),
    st.sampled_from(["=", "->", ":", " ", "=>"]),
    st.sampled_from(["abc", "S3cr3t", "x-y", "abc1", "***", "abc#top", "a;b", "a@b", "a/b"]),
    st.sampled_from(["", " now", ")", ".", "&b=1", " token=x"]),
).map("".join)


@given(st.sampled_from(_URL_HEADS), _URL_PAIRS)
def test_redaction_is_idempotent_on_urls_holding_pairs(head: str, pair: str) -> None:
    """A pair in a URL's path, query or fragment reads the same whether the URL held a secret."""
    once = redact_text(head + pair)
    assert redact_text(once) == once


_PLAIN_WORDS = ["the", "request", "failed", "upstream", "retry", "later", "42", "(", ")", ","]


@given(st.lists(st.sampled_from([*_PLAIN_WORDS, " ", "\n", ".", "'", '"']), max_size=40))
def test_text_without_secrets_comes_back_unchanged(words: list[str]) -> None:
    """Prose with nothing secret in it is returned as the very same object."""
    text = "".join(words)
    assert redact_text(text) is text


# --------------------------------------------------------------------------- odd inputs


def test_concurrent_mutation_keeps_details_an_object() -> None:
    """Another thread mutating details during ``to_dict()`` never turns them into text."""
    inner: dict[str, Any] = {"token": ["S3cr3tList"]}
    error = errorkit.Error("m", details={"inner": inner})
    error.details["inner"] = inner
    stop = threading.Event()

    def mutate() -> None:
        i = 0
        while not stop.is_set() and i < 200_000:
            inner[f"k{i % 50}"] = i
            inner.pop(f"k{(i + 25) % 50}", None)
            i += 1

    worker = threading.Thread(target=mutate)
    worker.start()
    try:
        for _ in range(300):
            payload = error.to_dict()
            assert type(payload["details"]) is dict
            assert type(payload["details"]["inner"]) is dict
            assert "S3cr3tList" not in str(payload)
    finally:
        stop.set()
        worker.join(timeout=30)


def test_attack_huge_range_in_details_is_bounded() -> None:
    """``to_dict()`` of an error holding ``range(10**18)`` returns, with the range cut."""
    error = errorkit.Error("m", details={"v": range(10**18)})
    values = error.to_dict()["details"]["v"]
    assert len(values) == 10_001
    assert values[-1] == f"<{10**18 - 10_000} more items>"


def test_attack_tool_exception_text_is_masked_in_tracebacks() -> None:
    """A text turned into a tool's exception is masked there too, so tracebacks are safe."""
    import traceback

    error = errorkit.ToolExecutionError("Authorization: Bearer hunter2SECRET")
    assert "hunter2SECRET" not in "".join(traceback.format_exception(error))


def test_attack_code_is_masked() -> None:
    """A code carrying a credential is masked like the message."""
    error = errorkit.Error("x", code="token=hunter2SECRET")
    assert "hunter2SECRET" not in repr(error) + str(error.to_dict())


def test_attack_pairs_as_a_list_are_masked() -> None:
    """Query parameters given as ``(name, value)`` pairs (httpx, requests) mask the value."""
    pairs: Any = [("token", "S3CR3T"), ("q", "x")]  # typed as a mapping; pairs work too
    error = errorkit.APIError("m", status_code=500, request_params=pairs)
    assert error.to_dict()["details"]["request_params"] == [["token", "***"], ["q", "x"]]


class _CountingPattern:
    """A compiled pattern that adds up how many characters its matches cover."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.read = 0

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """Match as the pattern does, counting the characters the match covers."""
        found = self.pattern.match(text, pos)
        if found is not None:
            self.read += found.end() - found.start()
        return found


@pytest.mark.parametrize("line", ["Cookie: a=1\n", "cookie=x\n", "tokens=1 ", "Set-Cookie: x\n"])
def test_attack_a_refused_run_of_pairs_is_read_once(line: str) -> None:
    """A run of same-name pairs the pair rule refuses is matched once, not once per pair."""
    from errorkit import redaction

    patterns = redaction._patterns()
    counting = _CountingPattern(patterns.pair_run)
    text = line * 400 + "end"
    patterns.pair_run = counting  # type: ignore[assignment]
    try:
        masked = redact_text(text)
    finally:
        patterns.pair_run = counting.pattern
    assert masked == redact_text(masked)
    assert counting.read <= 2 * len(text)


def test_attack_an_added_name_beyond_ascii_is_masked_in_any_case() -> None:
    """A name added outside ASCII masks in text written in capitals, as it does as a key."""
    script = (
        "import errorkit\n"
        "errorkit.add_sensitive_keys('пароль')\n"
        "assert errorkit.redact_text('Пароль: abc123') == 'Пароль: ***'\n"
        "assert errorkit.redact_text('ПАРОЛЬ=abc123 next') == 'ПАРОЛЬ=*** next'\n"
        "assert errorkit.redact_text('пароли=abc') == 'пароли=abc'\n"
        "e = errorkit.Error('m', details={'Пароль': 'abc123'})\n"
        "assert e.to_dict()['details'] == {'Пароль': '***'}\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


ADDED_ROWS: list[tuple[str, str, str]] = [
    ("attack5: an added name with a letter beyond ASCII", "clé_api=S x", "clé_api=*** x"),
    ("attack5: an added name beyond ASCII in capitals", "Ünïcode_Kéy: S", "Ünïcode_Kéy: ***"),
    ("attack5: an added name holding punctuation", "X-AUTH!: S", "X-AUTH!: ***"),
    ("attack5: an added name and =>", "x-auth! => S", "x-auth! => ***"),
    ("attack5: an added name after a word", "my clé_api: S", "my clé_api: ***"),
    ("attack5: a longer word is not the added name", "clé_apis=S", "clé_apis=S"),
    ("attack5: an added name's word alone stays", "auth! S", "auth! S"),
    ("an added name whose capital lowers to two characters", "İd=S x", "İd=*** x"),
    ("the same name written in lower case", "i\u0307d: S", "i\u0307d: ***"),
    ("the same name in capitals", "my İD => S", "my İD => ***"),
    ("its ASCII look-alike is another name", "id=S", "id=S"),
]


def _run_rows_with_names_added(names: tuple[str, ...], rows: list[tuple[str, str, str]]) -> None:
    """In a fresh interpreter (added names last for the process), add ``names``, check ``rows``.

    Each row's text must redact to its expected text, and that text to itself.
    """
    pairs = [(text, expected) for _, text, expected in rows]
    script = (
        "import errorkit\n"
        f"errorkit.add_sensitive_keys(*{names!r})\n"
        f"rows = {pairs!r}\n"
        "for text, expected in rows:\n"
        "    once = errorkit.redact_text(text)\n"
        "    assert once == expected, (text, once)\n"
        "    assert errorkit.redact_text(once) == once, text\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_attack5_names_added_beyond_the_alphabet_mask_in_text() -> None:
    """Names added with letters beyond ASCII or punctuation mask in text, as keys do."""
    _run_rows_with_names_added(("clé_api", "Ünïcode_Kéy", "X-AUTH!", "İd"), ADDED_ROWS)


ATTACK7_ADDED_ROWS: list[tuple[str, str, str]] = [
    # a capital whose lower case is the added name's letter, though that letter's upper
    # case is two letters ("ß".upper() is "SS")
    ("attack7: an added name with ß, written with ẞ", "STRAẞE=S x", "STRAẞE=*** x"),
    ("attack7: the same before ':'", "STRAẞE: S", "STRAẞE: ***"),
    ("attack7: the same quoted", '"STRAẞE": "S"', '"STRAẞE": "***"'),
    (
        "attack7: the same as a URL parameter",
        "https://h/?STRAẞE=S&a=1",
        "https://h/?STRAẞE=***&a=1",
    ),
    ("attack7: 'SS' for ß is another name", "STRASSE=S", "STRASSE=S"),
    ("attack7: an added name ending in Σ, read as ς", "ΣΟΦΟΣ=S x", "ΣΟΦΟΣ=*** x"),
    ("attack7: σ for ς is another name", "σοφοσ=S", "σοφοσ=S"),
    ("attack7: an added name with the ligature ﬁ", "ﬁLE_NUM: S", "ﬁLE_NUM: ***"),
    # an added name beyond ASCII where a value would start is the next pair's name
    ("attack7: an added name after an empty pair", "token: clé: S", "token: clé: ***"),
    ("attack7: an added name after itself", "clé: clé: S", "clé: clé: ***"),
    ("attack7: a chain of an added name", "clé: " * 5 + "S", "clé: " * 5 + "***"),
    ("attack7: an added name with İ after an empty pair", "token: İd_tag: S", "token: İd_tag: ***"),
    (
        "attack7: an added name with ẞ after an empty pair",
        "secret:\nSTRAẞE: S",
        "secret:\nSTRAẞE: ***",
    ),
]


ATTACK9_ADDED_ROWS: list[tuple[str, str, str]] = [
    (
        "attack9: an added name beyond the alphabet, quoted",
        '{"X-AUTH!": "S"}',
        '{"X-AUTH!": "***"}',
    ),
    ("attack9: an added name with '@', quoted", '"x@y": "S"', '"x@y": "***"'),
    ("attack9: an added name with '*', single-quoted", "{'x*y': 'S'}", "{'x*y': '***'}"),
    ("attack9: an added name half-quoted", 'clé": "S"', 'clé": "***"'),
    ("attack9: an added name with ß half-quoted", "straße': 'S'", "straße': '***'"),
    ("attack9: an added name escaped-quoted", '{\\"clé\\": \\"S\\"}', '{\\"clé\\": \\"***\\"}'),
    ("attack9: a glued run of an added name stays", "clé" * 300, "clé" * 300),
    ("attack11: an added name in capitals before its lower case", "CLÉ: S clé", "CLÉ: *** clé"),
    (
        "attack11: an added name in escaped quotes",
        '{\\"X-AUTH!\\": \\"S x\\"}',
        '{\\"X-AUTH!\\": \\"***\\"}',
    ),
    ("attack11: an added name after an escaped line break", "foo\\nX-AUTH!=S", "foo\\nX-AUTH!=***"),
    (
        "attack11: the same in JSON",
        '{"CLÉ": "S", "note": "clé"}',
        '{"CLÉ": "***", "note": "clé"}',
    ),
    # with a name added beyond the alphabet, an escaped line break still ends a value
    (
        "attack12: pairs apart by an escaped line break, a name added beyond the alphabet",
        "X-Api-Key: abc1\\nX-Api-Key: def2",
        "X-Api-Key: ***\\nX-Api-Key: ***",
    ),
    (
        "attack12: the same with ':='",
        "X-Api-Key:=S1x9\\nX-Api-Key:=S2x9",
        "X-Api-Key:=***\\nX-Api-Key:=***",
    ),
]


def test_attack9_added_names_quoted_or_half_quoted_mask() -> None:
    """Added names beyond the alphabet mask when quoted, half-quoted or escaped-quoted."""
    _run_rows_with_names_added(("clé", "straße", "X-AUTH!", "x@y", "x*y"), ATTACK9_ADDED_ROWS)


def test_attack7_added_names_read_as_they_are_in_normal_form() -> None:
    """Added names beyond ASCII mask in text in every case whose normal form is theirs."""
    _run_rows_with_names_added(("straße", "ΣΟΦΟΣ", "ﬁle_num", "clé", "İd_tag"), ATTACK7_ADDED_ROWS)


KELVIN_ROWS: list[tuple[str, str, str]] = [
    ("a Kelvin sign for k in a name", "to\u212aen=S x", "to\u212aen=*** x"),
    ("a Kelvin sign in a quoted name", '"to\u212aen": "S"', '"to\u212aen": "***"'),
    (
        "a Kelvin sign in a URL parameter",
        "https://h/?to\u212aen=S&a=1",
        "https://h/?to\u212aen=***&a=1",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [row[1:] for row in KELVIN_ROWS], ids=[row[0] for row in KELVIN_ROWS]
)
def test_a_name_written_with_a_kelvin_sign_masks_in_text(text: str, expected: str) -> None:
    """A name whose normal form is sensitive masks in text as it does as a key (K is "k")."""
    assert errorkit.redact_text(text) == expected
    assert errorkit.redact_text(expected) == expected


def test_the_characters_beyond_ascii_that_lower_to_ascii_are_all_known() -> None:
    """Every character beyond ASCII whose lower case holds an ASCII letter is in the table.

    Such a character writes a sensitive name that the lower-cased copy the engine searches
    must read as its ASCII letter; a Unicode update adding one would fail here.
    """
    from errorkit.redaction import _CAPITALS_BEYOND_ASCII

    found = {}
    for code in range(0x80, sys.maxunicode + 1):
        letters = [char for char in chr(code).lower() if char.isascii()]
        if letters:
            found[letters[0]] = chr(code)
    assert found == _CAPITALS_BEYOND_ASCII


def test_attack_adding_many_names_stays_cheap() -> None:
    """Hundreds of names added one call at a time, then a text read: the names all mask.

    Each call once rebuilt every pattern and chose the trigger words in cubic time; the
    whole script would not finish within the timeout.
    """
    script = (
        "import errorkit\n"
        "names = [f'tenant_{i:03d}_ref' for i in range(400)]\n"
        "for name in names:\n"
        "    errorkit.add_sensitive_keys(name)\n"
        "text = ' '.join(f'{name}=v{i}' for i, name in enumerate(names))\n"
        "assert errorkit.redact_text(text).count('=***') == 400\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_attack5_truncation_through_a_pem_footer_is_stable() -> None:
    """A message cut inside a private key's footer reads the same after a second pass."""
    from errorkit.safety import safe_text

    big = "x" * 8124 + " " + PEM + " tail"
    once = safe_text(big)
    assert "MIIEpAIBAAKCAQEA" not in once
    assert safe_text(once) == once
    error = errorkit.Error("m", details={"d": big})
    assert errorkit.Error.from_dict(error.to_dict()).to_dict() == error.to_dict()
