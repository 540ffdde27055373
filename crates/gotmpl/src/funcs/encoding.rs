//! Sprig's encoding, hashing, path and URL functions.
//!
//! Every function here is deterministic. Decoding errors follow Go's `encoding/base64` and
//! `encoding/base32` (Sprig returns the error text as the result), paths follow Go's `path`
//! and `path/filepath` on Unix, and URLs follow `net/url`.

use crate::func::{Func, FuncCtx, Ty};
use crate::funcs::arg_str;
use crate::value::{Map, Value};

pub static FUNCS: &[Func] = &[
    Func::new("b64enc", &[Ty::String], b64enc),
    Func::new("b64dec", &[Ty::String], b64dec),
    Func::new("b32enc", &[Ty::String], b32enc),
    Func::new("b32dec", &[Ty::String], b32dec),
    Func::new("sha1sum", &[Ty::String], sha1sum),
    Func::new("sha256sum", &[Ty::String], sha256sum),
    Func::new("sha512sum", &[Ty::String], sha512sum),
    Func::new("adler32sum", &[Ty::String], adler32sum),
    Func::new("base", &[Ty::String], base),
    Func::new("dir", &[Ty::String], dir),
    Func::new("clean", &[Ty::String], clean),
    Func::new("ext", &[Ty::String], ext),
    Func::new("isAbs", &[Ty::String], is_abs),
    Func::new("osBase", &[Ty::String], base),
    Func::new("osDir", &[Ty::String], dir),
    Func::new("osClean", &[Ty::String], clean),
    Func::new("osExt", &[Ty::String], ext),
    Func::new("osIsAbs", &[Ty::String], is_abs),
    Func::new("urlParse", &[Ty::String], url_parse),
    Func::new("urlJoin", &[Ty::Map], url_join),
    // Helm replaces Sprig's lookup with one that returns "" unless `--enable-dns` is given;
    // the sandbox has no network, so it is always "".
    Func::new("getHostByName", &[Ty::String], |_, _| Ok(Value::str(""))),
];

pub(crate) use rudder_gocompat::gostr::{
    from_vec as bytes_to_string, len as go_len, to_bytes as go_bytes,
};

fn b64enc(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::str(crate::base64_std(&go_bytes(arg_str(args, 0)))))
}

fn b64dec(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::str(
        match go_base64_decode(arg_str(args, 0).as_bytes()) {
            Ok(b) => bytes_to_string(b),
            Err(at) => format!("illegal base64 data at input byte {at}"),
        },
    ))
}

fn b32enc(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::str(base32_encode(&go_bytes(arg_str(args, 0)))))
}

fn b32dec(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::str(
        match go_base32_decode(arg_str(args, 0).as_bytes()) {
            Ok(b) => bytes_to_string(b),
            Err(at) => format!("illegal base32 data at input byte {at}"),
        },
    ))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn sha1sum(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    use sha1::Digest as _;
    Ok(Value::str(hex(&sha1::Sha1::digest(go_bytes(arg_str(
        args, 0,
    ))))))
}

fn sha256sum(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    use sha2::Digest as _;
    Ok(Value::str(hex(&sha2::Sha256::digest(go_bytes(arg_str(
        args, 0,
    ))))))
}

fn sha512sum(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    use sha2::Digest as _;
    Ok(Value::str(hex(&sha2::Sha512::digest(go_bytes(arg_str(
        args, 0,
    ))))))
}

fn adler32sum(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::str(adler32(&go_bytes(arg_str(args, 0))).to_string()))
}

/// Adler-32 (RFC 1950), as Go's `hash/adler32`.
fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 is the largest n for which the sums cannot overflow a u32 before reducing.
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_value(c: u8) -> Option<u8> {
    B64.iter().position(|&x| x == c).map(|p| p as u8)
}

/// Go's `base64.StdEncoding.DecodeString`: padding required, `\r` and `\n` skipped anywhere,
/// non-zero trailing bits accepted. The error is the byte offset Go reports.
pub(crate) fn go_base64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let mut quad = [0u8; 4];
        let mut j = 0;
        let mut padded = false;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = b64_value(c) {
                quad[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            // Padding: only after two or three symbols.
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                return Err(si);
            }
            padded = true;
            break;
        }
        let n = (u32::from(quad[0]) << 18)
            | (u32::from(quad[1]) << 12)
            | (u32::from(quad[2]) << 6)
            | u32::from(quad[3]);
        let bytes = n.to_be_bytes();
        let len = if padded { j - 1 } else { 3 };
        out.extend_from_slice(&bytes[1..1 + len]);
        if padded {
            break;
        }
        // Go skips newlines before deciding the input has ended.
        while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
            si += 1;
        }
    }
    Ok(out)
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 with padding, as Go's `base32.StdEncoding`.
fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = buf.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let symbols = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for i in 0..8 {
            if i < symbols {
                out.push(char::from(B32[((n >> (35 - 5 * i)) & 31) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base32.StdEncoding.DecodeString`: newlines are removed first, then the input is
/// decoded in groups of eight; the error is the offset (in the input without newlines).
fn go_base32_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let src: Vec<u8> = src
        .iter()
        .copied()
        .filter(|&c| c != b'\n' && c != b'\r')
        .collect();
    let olen = src.len();
    let mut rest: &[u8] = &src;
    let mut out = Vec::with_capacity(olen / 8 * 5);
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut group = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            let Some((&c, tail)) = rest.split_first() else {
                return Err(olen - rest.len() - j);
            };
            rest = tail;
            if c == b'=' && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 7 {
                    return Err(olen);
                }
                for k in 0..7 - j {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(olen - rest.len() + k - 1);
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(olen - rest.len() - 1);
                }
                break;
            }
            match B32.iter().position(|&x| x == c) {
                Some(v) => group[j] = v as u8,
                None => return Err(olen - rest.len() - 1),
            }
            j += 1;
        }
        let n = group.iter().fold(0u64, |acc, &v| (acc << 5) | u64::from(v));
        let bytes = n.to_be_bytes();
        let len = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            _ => 1,
        };
        out.extend_from_slice(&bytes[3..3 + len]);
    }
    Ok(out)
}

fn base(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let p = arg_str(args, 0);
    if p.is_empty() {
        return Ok(Value::str("."));
    }
    let p = p.trim_end_matches('/');
    if p.is_empty() {
        return Ok(Value::str("/"));
    }
    Ok(Value::str(p.rsplit('/').next().unwrap_or(p)))
}

fn dir(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let p = arg_str(args, 0);
    let head = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    Ok(Value::str(rudder_gocompat::path::clean(head)))
}

fn clean(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::str(rudder_gocompat::path::clean(arg_str(args, 0))))
}

fn ext(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let p = arg_str(args, 0);
    for (i, c) in p.bytes().enumerate().rev() {
        match c {
            b'/' => break,
            b'.' => return Ok(Value::str(&p[i..])),
            _ => {}
        }
    }
    Ok(Value::str(""))
}

fn is_abs(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(arg_str(args, 0).starts_with('/')))
}

// ---------------------------------------------------------------------------------------
// URLs (Go's net/url)

/// What a character is being escaped or unescaped for (Go's `encoding` modes in net/url).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    Fragment,
}

fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone)
        && matches!(
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
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => return c == b'?',
            Mode::UserPassword => return matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::Fragment => return false,
            Mode::Host | Mode::Zone => {}
        },
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

fn escape(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if should_escape(c, mode) {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(c >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(c & 15)]));
        } else {
            out.push(char::from(c));
        }
    }
    out
}

fn unhex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Go's `unescape`; errors are the text of `EscapeError` / `InvalidHostError`.
fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let (Some(hi), Some(lo)) = (
                    b.get(i + 1).and_then(|&c| unhex(c)),
                    b.get(i + 2).and_then(|&c| unhex(c)),
                ) else {
                    let bad = &b[i..b.len().min(i + 3)];
                    return Err(format!(
                        "invalid URL escape {}",
                        go_quote(&String::from_utf8_lossy(bad))
                    ));
                };
                let seq = &s[i..i + 3];
                if mode == Mode::Host && hi < 8 && seq != "%25" {
                    return Err(format!("invalid URL escape {}", go_quote(seq)));
                }
                if mode == Mode::Zone {
                    let v = hi << 4 | lo;
                    if seq != "%25" && v != b' ' && should_escape(v, Mode::Host) {
                        return Err(format!("invalid URL escape {}", go_quote(seq)));
                    }
                }
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                    return Err(format!(
                        "invalid character {} in host name",
                        go_quote(&s[i..i + 1])
                    ));
                }
                i += 1;
            }
        }
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hi = unhex(b[i + 1]).unwrap_or(0);
            let lo = unhex(b[i + 2]).unwrap_or(0);
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(bytes_to_string(out))
}

/// Go's `%q` for a string (`strconv.Quote`).
pub(crate) use rudder_gocompat::quote::quote as go_quote;

/// The parts of a parsed URL that Sprig exposes.
#[derive(Default, Debug, PartialEq)]
struct Url {
    scheme: String,
    opaque: String,
    /// `(username, password)`; `None` when the URL has no `@`.
    user: Option<(String, Option<String>)>,
    host: String,
    path: String,
    raw_query: String,
    fragment: String,
    omit_host: bool,
    force_query: bool,
}

fn valid_optional_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => digits.bytes().all(|c| c.is_ascii_digit()),
    }
}

fn get_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok(("", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme".into());
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

fn parse_host(host: &str) -> Result<String, String> {
    if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let colon_port = &host[i + 1..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", go_quote(colon_port)));
        }
        if let Some(zone) = host[..i].find("%25") {
            let h1 = unescape(&host[..zone], Mode::Host)?;
            let h2 = unescape(&host[zone..i], Mode::Zone)?;
            let h3 = unescape(&host[i..], Mode::Host)?;
            return Ok(h1 + &h2 + &h3);
        }
    } else if let Some(i) = host.rfind(':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", go_quote(colon_port)));
        }
    }
    unescape(host, Mode::Host)
}

fn valid_userinfo(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c))
}

type UserInfo = Option<(String, Option<String>)>;

fn parse_authority(authority: &str) -> Result<(UserInfo, String), String> {
    let at = authority.rfind('@');
    let host = parse_host(match at {
        Some(i) => &authority[i + 1..],
        None => authority,
    })?;
    let Some(i) = at else {
        return Ok((None, host));
    };
    let userinfo = &authority[..i];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".into());
    }
    let user = match userinfo.split_once(':') {
        None => (unescape(userinfo, Mode::UserPassword)?, None),
        Some((u, p)) => (
            unescape(u, Mode::UserPassword)?,
            Some(unescape(p, Mode::UserPassword)?),
        ),
    };
    Ok((Some(user), host))
}

/// Go's `url.Parse`; the error is the inner error's text (without `parse "..."`).
fn parse_url_inner(raw: &str) -> Result<Url, String> {
    if raw.bytes().any(|b| b < b' ' || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = Url::default();
    if raw == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let (scheme, mut rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, q)) = rest.split_once('?') {
        url.raw_query = q.into();
        rest = r;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.into();
            return Ok(url);
        }
        let segment = rest.split('/').next().unwrap_or("");
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let authority = &rest[2..];
        let (authority, path) = match authority.find('/') {
            Some(i) => (&authority[..i], &authority[i..]),
            None => (authority, ""),
        };
        let (user, host) = parse_authority(authority)?;
        url.user = user;
        url.host = host;
        rest = path;
    } else if !url.scheme.is_empty() && rest.starts_with('/') {
        url.omit_host = true;
    }
    url.path = unescape(rest, Mode::Path)?;
    Ok(url)
}

fn parse_url(raw: &str) -> Result<Url, String> {
    let (u, frag) = raw.split_once('#').unwrap_or((raw, ""));
    let mut url = parse_url_inner(u).map_err(|e| format!("parse {}: {e}", go_quote(u)))?;
    if !frag.is_empty() {
        url.fragment =
            unescape(frag, Mode::Fragment).map_err(|e| format!("parse {}: {e}", go_quote(raw)))?;
    }
    Ok(url)
}

fn userinfo_string(user: &(String, Option<String>)) -> String {
    let mut s = escape(&user.0, Mode::UserPassword);
    if let Some(p) = &user.1 {
        s.push(':');
        s.push_str(&escape(p, Mode::UserPassword));
    }
    s
}

/// Go's `URL.Hostname`: the host without port and IPv6 brackets.
fn hostname(host: &str) -> &str {
    let mut h = host;
    if let Some(colon) = h.rfind(':')
        && valid_optional_port(&h[colon..])
    {
        h = &h[..colon];
    }
    if h.starts_with('[') && h.ends_with(']') && h.len() >= 2 {
        h = &h[1..h.len() - 1];
    }
    h
}

/// Go's `URL.String`.
fn url_string(u: &Url) -> String {
    let mut buf = String::new();
    if !u.scheme.is_empty() {
        buf.push_str(&u.scheme);
        buf.push(':');
    }
    if !u.opaque.is_empty() {
        buf.push_str(&u.opaque);
    } else {
        let has_authority = !u.scheme.is_empty() || !u.host.is_empty() || u.user.is_some();
        let omit = u.omit_host && u.host.is_empty() && u.user.is_none();
        if has_authority && !omit {
            if !u.host.is_empty() || !u.path.is_empty() || u.user.is_some() {
                buf.push_str("//");
            }
            if let Some(user) = &u.user {
                buf.push_str(&userinfo_string(user));
                buf.push('@');
            }
            if !u.host.is_empty() {
                buf.push_str(&escape(&u.host, Mode::Host));
            }
        }
        let path = if u.path == "*" {
            "*".to_string()
        } else {
            escape(&u.path, Mode::Path)
        };
        if !path.is_empty() && !path.starts_with('/') && !u.host.is_empty() {
            buf.push('/');
        }
        if buf.is_empty() && path.split('/').next().unwrap_or("").contains(':') {
            buf.push_str("./");
        }
        buf.push_str(&path);
    }
    if u.force_query || !u.raw_query.is_empty() {
        buf.push('?');
        buf.push_str(&u.raw_query);
    }
    if !u.fragment.is_empty() {
        buf.push('#');
        buf.push_str(&escape(&u.fragment, Mode::Fragment));
    }
    buf
}

fn url_parse(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let u = parse_url(arg_str(args, 0)).map_err(|e| format!("unable to parse url: {e}"))?;
    let mut m = Map::new();
    m.insert("scheme".into(), Value::str(u.scheme.as_str()));
    m.insert("host".into(), Value::str(u.host.as_str()));
    m.insert("hostname".into(), Value::str(hostname(&u.host)));
    m.insert("path".into(), Value::str(u.path.as_str()));
    m.insert("query".into(), Value::str(u.raw_query.as_str()));
    m.insert("opaque".into(), Value::str(u.opaque.as_str()));
    m.insert("fragment".into(), Value::str(u.fragment.as_str()));
    let userinfo = u.user.as_ref().map(userinfo_string).unwrap_or_default();
    m.insert("userinfo".into(), Value::str(userinfo));
    Ok(Value::map(m))
}

/// Sprig's `dictGetOrEmpty`: a missing key is "", anything but a string is an error.
fn dict_string(d: &Map, key: &str) -> Result<String, String> {
    match d.get(key) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.to_string()),
        Some(Value::Nil) => {
            Err("runtime error: invalid memory address or nil pointer dereference".into())
        }
        Some(v) => Err(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            crate::fmt::go_kind(v)
        )),
    }
}

fn url_join(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let empty = Map::new();
    let d = match args.first() {
        Some(Value::Map(m)) => m.as_ref(),
        _ => &empty,
    };
    let mut u = Url {
        scheme: dict_string(d, "scheme")?,
        host: dict_string(d, "host")?,
        path: dict_string(d, "path")?,
        raw_query: dict_string(d, "query")?,
        opaque: dict_string(d, "opaque")?,
        fragment: dict_string(d, "fragment")?,
        ..Url::default()
    };
    let userinfo = dict_string(d, "userinfo")?;
    if !userinfo.is_empty() {
        let parsed = parse_url(&format!("proto://{userinfo}@host"))
            .map_err(|e| format!("unable to parse userinfo in dict: {e}"))?;
        u.user = parsed.user;
    }
    Ok(Value::str(url_string(&u)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::conv::tests::call;

    fn s(f: crate::func::FuncBody, a: &str) -> String {
        match call(f, &[Value::str(a)]) {
            Ok(Value::String(s)) => s.to_string(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn decoded_bytes_that_are_not_utf8_keep_their_length() {
        // 0xFF, 'a', 0xC3 (a truncated two-byte sequence), "é", 0x80.
        let raw = [0xFFu8, b'a', 0xC3, 0xC3, 0xA9, 0x80];
        let enc = crate::base64_std(&raw);
        let dec = s(b64dec, &enc);
        assert_eq!(go_len(&dec), raw.len());
        assert_eq!(&*go_bytes(&dec), &raw[..]);
        assert_eq!(s(b64enc, &dec), enc);
        assert!(dec.contains('a') && dec.contains('é'));
        assert_eq!(
            s(sha256sum, &dec),
            hex(&{
                use sha2::Digest as _;
                sha2::Sha256::digest(raw)
            })
        );
        // Ordinary text is untouched.
        assert_eq!(go_len("héllo"), 6);
        assert_eq!(&*go_bytes("héllo"), "héllo".as_bytes());
    }

    /// Calls each function on its string and checks the string it returned.
    fn check(cases: &[(crate::func::FuncBody, &str, &str)]) {
        for (f, input, want) in cases {
            assert_eq!(s(*f, input), *want, "{input:?}");
        }
    }

    #[test]
    fn base64_round_trip_and_errors() {
        check(&[
            (b64enc, "hello", "aGVsbG8="),
            (b64dec, "aGVsbG8=", "hello"),
            (b64dec, "aGVs\nbG8=", "hello"),
            (b64dec, "aGVsbG8", "illegal base64 data at input byte 4"),
            (b64dec, "!", "illegal base64 data at input byte 0"),
            (b64dec, "YQ==YQ==", "illegal base64 data at input byte 4"),
            (b64dec, "", ""),
        ]);
    }

    #[test]
    fn base32_round_trip_and_errors() {
        for x in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            assert_eq!(s(b32dec, &s(b32enc, x)), x);
        }
        check(&[
            (b32enc, "foobar", "MZXW6YTBOI======"),
            (b32dec, "MZXW6Y==", "illegal base32 data at input byte 6"),
            (b32dec, "M", "illegal base32 data at input byte 0"),
        ]);
    }

    #[test]
    fn hashes() {
        check(&[
            (sha1sum, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            (
                sha256sum,
                "",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (adler32sum, "Wikipedia", "300286872"),
        ]);
        assert_eq!(adler32(&vec![255u8; 100_000]), {
            let (mut a, mut b) = (1u64, 0u64);
            for _ in 0..100_000 {
                a = (a + 255) % 65521;
                b = (b + a) % 65521;
            }
            ((b << 16) | a) as u32
        });
    }

    #[test]
    fn paths() {
        assert_eq!(rudder_gocompat::path::clean("a//b/../c/."), "a/c");
        assert_eq!(rudder_gocompat::path::clean("/../a"), "/a");
        assert_eq!(rudder_gocompat::path::clean("../../a"), "../../a");
        assert_eq!(rudder_gocompat::path::clean(""), ".");
        check(&[
            (base, "/a/b/", "b"),
            (base, "///", "/"),
            (dir, "a/b/c", "a/b"),
            (dir, "abc", "."),
            (ext, "a/b.tar.gz", ".gz"),
            (ext, "a.b/c", ""),
        ]);
    }

    #[test]
    fn urls() {
        let u = parse_url("https://user:p%40ss@example.com:8443/a%20b?x=1#frag").unwrap();
        assert_eq!(u.host, "example.com:8443");
        assert_eq!(u.path, "/a b");
        assert_eq!(u.user, Some(("user".into(), Some("p@ss".into()))));
        assert_eq!(
            url_string(&u),
            "https://user:p%40ss@example.com:8443/a%20b?x=1#frag"
        );
        assert_eq!(hostname("[::1]:80"), "::1");
        assert!(parse_url("http://[::1").is_err());
        assert_eq!(
            parse_url(":foo").unwrap_err(),
            "parse \":foo\": missing protocol scheme"
        );
    }
}
