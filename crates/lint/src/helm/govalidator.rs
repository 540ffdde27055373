//! The three checks of `github.com/asaskevich/govalidator` that Helm's Chart.yaml rules use
//! (`IsEmail`, `IsURL`, `IsRequestURL`), written after their regular expressions and after
//! Go's `net/url` parser, without a regex engine.

/// The non-ASCII ranges govalidator's email pattern accepts (`\x{00A0}-\x{D7FF}` etc.).
fn ucs(c: char) -> bool {
    matches!(c, '\u{A0}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFEF}')
}

fn atom_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) || ucs(c)
}

/// Folding white space `((SP|HT)* CRLF)? (SP|HT)+` starting at `i`: every end it can have.
fn fws_ends(c: &[char], i: usize) -> Vec<usize> {
    let wsp = |k: usize| c.get(k).is_some_and(|ch| *ch == ' ' || *ch == '\t');
    let mut ends = Vec::new();
    let mut k = i;
    while wsp(k) {
        k += 1;
        ends.push(k);
    }
    // with a CRLF after the leading blanks
    let mut k = i;
    loop {
        if c.get(k) == Some(&'\r') && c.get(k + 1) == Some(&'\n') {
            let mut m = k + 2;
            while wsp(m) {
                m += 1;
                ends.push(m);
            }
        }
        if !wsp(k) {
            break;
        }
        k += 1;
    }
    ends
}

fn qtext(ch: char) -> bool {
    matches!(ch, '\u{1}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}' | '\u{21}' | '\u{23}'..='\u{5b}' | '\u{5d}'..='\u{7e}')
        || ucs(ch)
}

/// The "quoted" local part as govalidator's pattern really groups it (its parentheses put
/// the repetition around the opening quote too): `("` FWS? qcontent`)*` FWS? `"`, where
/// qcontent is a qtext character or `(` followed by one more character.
fn quoted_local(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    let mut memo = vec![None; c.len() + 1];
    quoted_from(&c, 0, &mut memo)
}

fn quoted_from(c: &[char], i: usize, memo: &mut Vec<Option<bool>>) -> bool {
    if let Some(r) = memo[i] {
        return r;
    }
    let closes = |k: usize| c.get(k) == Some(&'"') && k + 1 == c.len();
    let mut ok = closes(i) || fws_ends(c, i).into_iter().any(closes);
    if !ok && c.get(i) == Some(&'"') {
        let mut starts = vec![i + 1];
        starts.extend(fws_ends(c, i + 1));
        for j in starts {
            let Some(&ch) = c.get(j) else { continue };
            if qtext(ch) && quoted_from(c, j + 1, memo) {
                ok = true;
                break;
            }
            if ch == '(' {
                let pair = c.get(j + 1).is_some_and(|n| {
                    matches!(n, '\u{1}'..='\u{9}' | '\u{b}' | '\u{c}' | '\u{d}'..='\u{7f}')
                        || ucs(*n)
                });
                if pair && quoted_from(c, j + 2, memo) {
                    ok = true;
                    break;
                }
            }
        }
    }
    memo[i] = Some(ok);
    ok
}

fn dot_atom(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|a| !a.is_empty() && a.chars().all(atom_char))
}

/// govalidator's `IsEmail` (its `rxEmail` pattern).
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    if !(dot_atom(local) || quoted_local(local)) {
        return false;
    }
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let Some((labels, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    let alnum = |c: char| c.is_ascii_alphanumeric() || ucs(c);
    let alpha = |c: char| c.is_ascii_alphabetic() || ucs(c);
    // `(label\.)+` where a label may itself hold dots: alnum ends, `-._~` inside.
    let labels_ok = {
        let first = labels.chars().next();
        let last = labels.chars().next_back();
        matches!((first, last), (Some(f), Some(l)) if alnum(f) && alnum(l))
            && labels
                .chars()
                .all(|c| alnum(c) || matches!(c, '-' | '.' | '_' | '~'))
    };
    let tld_ok = {
        let first = tld.chars().next();
        let last = tld.chars().next_back();
        matches!((first, last), (Some(f), Some(l)) if alpha(f) && alpha(l))
            && tld
                .chars()
                .all(|c| alnum(c) || matches!(c, '-' | '_' | '~'))
    };
    labels_ok && tld_ok
}

// --- Go's net/url, the parts govalidator relies on --------------------------------------

/// What `url.Parse` / `url.ParseRequestURI` keep of a URL.
pub struct GoUrl {
    pub scheme: String,
    pub host: String,
    pub path: String,
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

fn check_escapes(s: &str, host: bool) -> Result<(), ()> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            if i + 2 >= b.len() {
                return Err(());
            }
            if !is_hex(b[i + 1]) || !is_hex(b[i + 2]) {
                return Err(());
            }
            if host && b[i + 1] < b'8' && &s[i..i + 3] != "%25" {
                return Err(());
            }
            i += 3;
            continue;
        }
        if host && c < 0x80 && host_should_escape(c) {
            return Err(());
        }
        i += 1;
    }
    Ok(())
}

/// `shouldEscape(c, encodeHost)`.
fn host_should_escape(c: u8) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    !matches!(
        c,
        b'!' | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b':'
            | b'['
            | b']'
            | b'<'
            | b'>'
            | b'"'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
    )
}

fn valid_port(p: &str) -> bool {
    p.bytes().all(|c| c.is_ascii_digit())
}

fn parse_host(host: &str) -> Result<String, ()> {
    if let Some(rest) = host.strip_prefix('[') {
        let Some(end) = rest.find(']') else {
            return Err(());
        };
        let after = &rest[end + 1..];
        if !after.is_empty() {
            match after.strip_prefix(':') {
                Some(p) if valid_port(p) => {}
                _ => return Err(()),
            }
        }
    } else if let Some(i) = host.rfind(':')
        && !valid_port(&host[i + 1..])
    {
        return Err(());
    }
    check_escapes(host, true)?;
    Ok(host.to_string())
}

fn valid_userinfo(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c) || !c.is_ascii())
}

/// Go's `url.Parse` (`via_request` false, fragment split off first) or
/// `url.ParseRequestURI` (`via_request` true); `None` when Go returns an error.
pub fn go_parse(raw: &str, via_request: bool) -> Option<GoUrl> {
    let mut raw = raw;
    if !via_request && let Some((u, frag)) = raw.split_once('#') {
        check_escapes(frag, false).ok()?;
        raw = u;
    }
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return None;
    }
    if raw.is_empty() && via_request {
        return None;
    }
    let mut url = GoUrl {
        scheme: String::new(),
        host: String::new(),
        path: String::new(),
    };
    if raw == "*" {
        url.path = "*".into();
        return Some(url);
    }
    // getScheme
    let mut rest = raw;
    for (i, c) in raw.char_indices() {
        if c.is_ascii_alphabetic() {
            continue;
        }
        if c.is_ascii_digit() || c == '+' || c == '-' || c == '.' {
            if i == 0 {
                break;
            }
            continue;
        }
        if c == ':' {
            if i == 0 {
                return None; // missing protocol scheme
            }
            url.scheme = raw[..i].to_ascii_lowercase();
            rest = &raw[i + 1..];
        }
        break;
    }
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, _query)) = rest.split_once('?') {
        rest = r;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            return Some(url); // opaque
        }
        if via_request {
            return None;
        }
        let seg = rest.split('/').next().unwrap_or("");
        if seg.contains(':') {
            return None;
        }
    }
    if (!url.scheme.is_empty() || !via_request && !rest.starts_with("///"))
        && rest.starts_with("//")
    {
        let after = &rest[2..];
        let (authority, path) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        let host = match authority.rfind('@') {
            Some(i) => {
                if !valid_userinfo(&authority[..i]) {
                    return None;
                }
                &authority[i + 1..]
            }
            None => authority,
        };
        url.host = parse_host(host).ok()?;
        rest = path;
    }
    check_escapes(rest, false).ok()?;
    url.path = rest.to_string();
    Some(url)
}

/// govalidator's `IsRequestURL`.
pub fn is_request_url(s: &str) -> bool {
    go_parse(s, true).is_some_and(|u| !u.scheme.is_empty())
}

// --- IsURL ------------------------------------------------------------------------------

fn url_ucs_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{a1}'..='\u{ffff}').contains(&c)
}

fn url_ucs_alpha(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{a1}'..='\u{ffff}').contains(&c)
}

/// `\.?(:\d{1,5})?((/|\?|#)\S*)?$`
fn url_tail(s: &str) -> bool {
    let s = s.strip_prefix('.').unwrap_or(s);
    let s = match s.strip_prefix(':') {
        Some(p) => {
            let n = p.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return false;
            }
            // any split of up to 5 digits works only if the rest starts a path
            let n = n.min(5);
            &p[n..]
        }
        None => s,
    };
    if s.is_empty() {
        return true;
    }
    s.starts_with(['/', '?', '#']) && !s.chars().any(char::is_whitespace)
}

/// The IPv4 form of govalidator's `URLIP`.
fn url_ip(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 || parts.iter().any(|p| p.is_empty() || p.len() > 3) {
        return false;
    }
    if !parts.iter().all(|p| p.bytes().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let num = |p: &str| p.parse::<u32>().unwrap_or(999);
    let first = parts[0];
    let ok_first = !first.starts_with('0') && {
        let n = num(first);
        (1..=223).contains(&n) || (240..=255).contains(&n)
    };
    // middle octets: \d{1,2}|1\d\d|2[0-4]\d|25[0-5]
    let mid = |p: &str| p.len() <= 2 || (p.len() == 3 && num(p) >= 100 && num(p) <= 255);
    // last octet: [0-9]\d?|1\d\d|2[0-4]\d|25[0-5]
    ok_first && mid(parts[1]) && mid(parts[2]) && mid(parts[3])
}

/// `[a-zA-Z0-9]([a-zA-Z0-9-_]+)?[a-zA-Z0-9]([-\.][a-zA-Z0-9]+)*`
fn url_host_prefix_a(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 2 || !b[0].is_ascii_alphanumeric() {
        return false;
    }
    // first label: alnum (alnum|-|_)* alnum, then ([-.]alnum+)*
    // try every end of the first label
    for end in 2..=b.len() {
        let first = &b[..end];
        if !first[end - 1].is_ascii_alphanumeric()
            || !first[1..end - 1]
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
        {
            continue;
        }
        let rest = &b[end..];
        if groups_ok(rest) {
            return true;
        }
    }
    false
}

/// `([-\.][a-zA-Z0-9]+)*`
fn groups_ok(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'-' && b[i] != b'.' {
            return false;
        }
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    true
}

/// `(www\.)|([a-zA-Z0-9]+([-_\.]?[a-zA-Z0-9])*[a-zA-Z0-9]\.[a-zA-Z0-9]+)`
fn url_subdomain(s: &str) -> bool {
    if s == "www." {
        return true;
    }
    let b = s.as_bytes();
    let Some(dot) = b.iter().rposition(|c| *c == b'.') else {
        return false;
    };
    let (head, tail) = (&b[..dot], &b[dot + 1..]);
    if tail.is_empty() || !tail.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    // head: alnum+ ([-_.]?alnum)* alnum — at least two characters, starting and ending
    // with two alphanumerics, no two separators in a row
    if head.len() < 2
        || !head[0].is_ascii_alphanumeric()
        || !head[head.len() - 1].is_ascii_alphanumeric()
        || !head[head.len() - 2].is_ascii_alphanumeric()
    {
        return false;
    }
    let mut prev_sep = false;
    for c in head {
        let sep = matches!(c, b'-' | b'_' | b'.');
        if !sep && !c.is_ascii_alphanumeric() {
            return false;
        }
        if sep && prev_sep {
            return false;
        }
        prev_sep = sep;
    }
    true
}

/// `(([W]+-?-?)*[W]+)(?:\.([A]{1,}))?` with W alnum-or-ucs and A alpha-or-ucs.
fn url_name(s: &str) -> bool {
    if label_ok(s) {
        return true;
    }
    matches!(s.rsplit_once('.'), Some((n, t)) if !t.is_empty() && t.chars().all(url_ucs_alpha) && label_ok(n))
}

fn label_ok(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let (Some(f), Some(l)) = (chars.first(), chars.last()) else {
        return false;
    };
    if !url_ucs_alnum(*f) || !url_ucs_alnum(*l) {
        return false;
    }
    let mut dashes = 0;
    for c in &chars {
        if *c == '-' {
            dashes += 1;
            if dashes > 2 {
                return false;
            }
        } else if url_ucs_alnum(*c) {
            dashes = 0;
        } else {
            return false;
        }
    }
    true
}

/// The host alternatives of govalidator's `URL` pattern.
fn url_host(h: &str) -> bool {
    if url_ip(h) {
        return true;
    }
    if let Some(inner) = h.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        let addr = inner.split('%').next().unwrap_or(inner);
        return addr.parse::<std::net::Ipv6Addr>().is_ok();
    }
    // optional prefix, then name
    if url_name(h) {
        return true;
    }
    for (i, _) in h.char_indices().skip(1) {
        let (p, n) = h.split_at(i);
        if (url_host_prefix_a(p) || url_subdomain(p)) && url_name(n) {
            return true;
        }
    }
    false
}

fn url_pattern(s: &str) -> bool {
    let schemes = [
        "ftp://", "tcp://", "udp://", "ws://", "wss://", "http://", "https://",
    ];
    let mut starts: Vec<&str> = vec![s];
    for sc in schemes {
        if let Some(r) = s.strip_prefix(sc) {
            starts.push(r);
        }
    }
    for r in starts {
        // optional userinfo `\S+(:\S*)?@`: any '@' whose prefix has no whitespace
        let mut candidates = vec![r];
        for (i, c) in r.char_indices() {
            if c.is_whitespace() {
                break;
            }
            if c == '@' && i > 0 {
                candidates.push(&r[i + 1..]);
            }
        }
        for rest in candidates {
            for (k, _) in rest.char_indices().skip(1).chain([(rest.len(), ' ')]) {
                if url_tail(&rest[k..]) && url_host(&rest[..k]) {
                    return true;
                }
            }
        }
    }
    false
}

/// govalidator's `IsURL`.
pub fn is_url(s: &str) -> bool {
    if s.is_empty() || s.chars().count() >= 2083 || s.len() <= 3 || s.starts_with('.') {
        return false;
    }
    let tmp;
    let parse_src = if s.contains(':') && !s.contains("://") {
        tmp = format!("http://{s}");
        tmp.as_str()
    } else {
        s
    };
    let Some(u) = go_parse(parse_src, false) else {
        return false;
    };
    if u.host.starts_with('.') {
        return false;
    }
    if u.host.is_empty() && !u.path.is_empty() && !u.path.contains('.') {
        return false;
    }
    url_pattern(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(is_email("jane@example.com"));
        assert!(is_email("a.b+c@sub.example.co"));
        assert!(!is_email("jane@@example"));
        assert!(!is_email("jane@example"));
        assert!(!is_email("jane"));
        assert!(!is_email("a..b@example.com"));
        assert!(!is_email("jane@example.c0m1"));
        assert!(is_email("\"q\"@example.org"));
        assert!(is_email("\"a\"b\"@example.org"));
        assert!(!is_email("\"qn\"@example.org"));
        assert!(!is_email("\"quoted name\"@example.org"));
    }

    #[test]
    fn urls() {
        assert!(is_url("https://example.com"));
        assert!(is_url("https://example.com/path?q=1#f"));
        assert!(is_url("example.com"));
        assert!(is_url("http://10.0.0.1:8080/x"));
        assert!(is_url("https://user:pw@github.com/x"));
        assert!(!is_url("not a url"));
        assert!(!is_url("http://"));
        assert!(!is_url("foo"));
        assert!(!is_url(".example.com"));
    }

    #[test]
    fn request_urls() {
        assert!(is_request_url("https://example.com/x"));
        assert!(is_request_url("mailto:x"));
        assert!(!is_request_url("example.com/x"));
        assert!(!is_request_url("icon.png"));
        assert!(!is_request_url("http://exa mple.com"));
        assert!(!is_request_url("http://example.com:port"));
    }
}
