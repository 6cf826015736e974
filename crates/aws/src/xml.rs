//! A small streaming cursor over a Query-protocol response body, so each
//! response parser reads like the shape it parses. Shared by every AWS
//! driver (classic ELB, ELBv2).
//!
//! Why not serde, and why not a general XML reader: a 400-balancer page is
//! about 1.3 MB and must parse several times faster than a serde-driven
//! parse. AWS answers use a tiny part of XML: elements, text, the five
//! predefined entities and character references, and, rarely, CDATA,
//! comments, processing instructions and a doctype. The lexer reads exactly
//! that straight from the body slice, one token at a time, without building
//! events for white space between elements, and checks that every end tag
//! closes the element it should. The cursor compares element *local* names
//! as bytes (any namespace prefix is ignored), allocates each text value
//! once (borrowed text becomes one `String`, escaped text is unescaped
//! once), and skips unknown elements without looking inside them.
//!
//! Nothing here panics on any input: depth is tracked with a counter (no
//! recursion on unknown elements), every slice access is checked, and every
//! malformed, truncated or non-UTF-8 body becomes an
//! [`ErrorKind::InvalidResponse`] error.

use std::borrow::Cow;
use std::fmt::Display;
use std::str::FromStr;

use lbcloud_core::{Error, ErrorKind, Result};

/// One piece of markup or text. Element names are *local* names: any
/// namespace prefix (`p:` in `p:Name`) is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Start(&'a [u8]),
    Empty(&'a [u8]),
    End,
    /// Raw character data `body[from..to]`, entities not yet replaced.
    Text(usize, usize),
    /// The content `body[from..to]` of a CDATA section.
    CData(usize, usize),
    Eof,
}

/// A lexical error: what went wrong; the position is the lexer's.
type LexResult<T> = std::result::Result<T, &'static str>;

/// A pull tokenizer over the body slice.
struct Lexer<'a> {
    buf: &'a [u8],
    /// The whole body as text when it is UTF-8 (nearly always): text is
    /// then sliced from it without checking each piece again.
    utf8: Option<&'a str>,
    pos: usize,
    /// Names of the open elements, innermost last, to check end tags.
    open: Vec<&'a [u8]>,
}

/// How a byte ends or splits an element name: 0 = part of the name,
/// 1 = ends it (white space, `/`, `>`), 2 = `:` (a prefix ends).
// Built at compile time: an index out of range would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
static NAME_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b' ' as usize] = 1;
    t[b'\t' as usize] = 1;
    t[b'\r' as usize] = 1;
    t[b'\n' as usize] = 1;
    t[b'/' as usize] = 1;
    t[b'>' as usize] = 1;
    t[b':' as usize] = 2;
    t
};

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

impl<'a> Lexer<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Self {
            buf,
            utf8: std::str::from_utf8(buf).ok(),
            pos: 0,
            open: Vec::new(),
        }
    }

    /// `body[from..to]` as text; an error when it is not UTF-8.
    fn str_at(&self, from: usize, to: usize) -> LexResult<&'a str> {
        match self.utf8 {
            // Token bounds sit next to ASCII delimiters: always char boundaries.
            Some(text) => text.get(from..to).ok_or("text is not UTF-8"),
            None => std::str::from_utf8(self.buf.get(from..to).unwrap_or_default())
                .map_err(|_| "text is not UTF-8"),
        }
    }

    fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    /// The offset of `needle` in the rest of the body, from `from` on.
    fn find(&self, from: usize, needle: &[u8]) -> Option<usize> {
        memchr::memmem::find(self.buf.get(from..)?, needle).map(|at| from + at)
    }

    /// The next token. With `skip_text`, character data between elements is
    /// stepped over without being returned (callers that ignore it).
    fn next(&mut self, skip_text: bool) -> LexResult<Token<'a>> {
        loop {
            let rest = self.rest();
            let Some(&first) = rest.first() else {
                return Ok(Token::Eof);
            };
            if first != b'<' {
                let from = self.pos;
                // Between elements the text is a short run of indentation:
                // step over it before paying for a vector search.
                let blank = rest.iter().take_while(|&&b| is_space(b)).count();
                let tail = rest.get(blank..).unwrap_or_default();
                self.pos += blank
                    + match tail.first() {
                        Some(b'<') => 0,
                        _ => memchr::memchr(b'<', tail).unwrap_or(tail.len()),
                    };
                if skip_text {
                    continue;
                }
                return Ok(Token::Text(from, self.pos));
            }
            match rest.get(1) {
                Some(b'/') => return self.end_tag(),
                Some(b'?') => {
                    let end = self
                        .find(self.pos + 2, b"?>")
                        .ok_or("unclosed processing instruction")?;
                    self.pos = end + 2;
                }
                Some(b'!') => {
                    if rest.starts_with(b"<!--") {
                        let end = self.find(self.pos + 4, b"-->").ok_or("unclosed comment")?;
                        self.pos = end + 3;
                    } else if rest.starts_with(b"<![CDATA[") {
                        let from = self.pos + 9;
                        let end = self.find(from, b"]]>").ok_or("unclosed CDATA section")?;
                        self.pos = end + 3;
                        return Ok(Token::CData(from, end));
                    } else if rest.len() >= 9
                        && rest
                            .get(2..9)
                            .is_some_and(|d| d.eq_ignore_ascii_case(b"DOCTYPE"))
                    {
                        self.skip_doctype()?;
                    } else {
                        return Err("unknown markup after <!");
                    }
                }
                Some(_) => return self.start_tag(),
                None => return Err("the body ends inside a tag"),
            }
        }
    }

    /// `</name>`, checked against the open element.
    fn end_tag(&mut self) -> LexResult<Token<'a>> {
        let from = self.pos + 2;
        let rest = self.buf.get(from..).unwrap_or_default();
        // The common case: `</name>` exactly as the element was opened.
        if let Some(&open) = self.open.last()
            && rest.get(open.len()) == Some(&b'>')
            && rest.get(..open.len()) == Some(open)
        {
            self.open.pop();
            self.pos = from + open.len() + 1;
            return Ok(Token::End);
        }
        let close = memchr::memchr(b'>', rest).ok_or("the body ends inside an end tag")?;
        let mut name = rest.get(..close).unwrap_or_default();
        while let [head @ .., last] = name {
            if !is_space(*last) {
                break;
            }
            name = head;
        }
        match self.open.pop() {
            Some(open) if open == name => {}
            Some(_) => return Err("an end tag does not match its start tag"),
            None => return Err("an end tag closes no element"),
        }
        self.pos = from + close + 1;
        Ok(Token::End)
    }

    /// `<name attr="v" ...>` or `<name .../>`. Attribute values may hold `>`.
    fn start_tag(&mut self) -> LexResult<Token<'a>> {
        let from = self.pos + 1;
        let rest = self.buf.get(from..).unwrap_or_default();
        // One pass finds the end of the name and where its local part starts.
        let mut name_len = 0;
        let mut local_from = 0;
        loop {
            let &b = rest
                .get(name_len)
                .ok_or("the body ends inside a start tag")?;
            match NAME_BYTE.get(usize::from(b)) {
                Some(0) => {}
                Some(2) => local_from = name_len + 1,
                _ => break,
            }
            name_len += 1;
        }
        if name_len == 0 {
            return Err("a tag without a name");
        }
        let name = rest.get(..name_len).unwrap_or_default();
        let local = name.get(local_from..).unwrap_or_default();
        // The common case: `<name>`.
        if rest.get(name_len) == Some(&b'>') {
            self.pos = from + name_len + 1;
            self.open.push(name);
            return Ok(Token::Start(local));
        }
        // To the `>` that ends the tag, stepping over quoted values.
        let mut i = name_len;
        loop {
            let tail = rest.get(i..).unwrap_or_default();
            let at = memchr::memchr3(b'>', b'"', b'\'', tail)
                .ok_or("the body ends inside a start tag")?;
            i += at;
            match rest.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let value = rest.get(i + 1..).unwrap_or_default();
                    let len = memchr::memchr(q, value)
                        .ok_or("the body ends inside an attribute value")?;
                    i += len + 2;
                }
                _ => break,
            }
        }
        self.pos = from + i + 1;
        if i > 0 && rest.get(i - 1) == Some(&b'/') {
            Ok(Token::Empty(local))
        } else {
            self.open.push(name);
            Ok(Token::Start(local))
        }
    }

    /// `<!DOCTYPE ...>`, with an optional internal subset in brackets.
    fn skip_doctype(&mut self) -> LexResult<()> {
        let mut depth = 0usize;
        let mut i = self.pos + 2;
        loop {
            let &b = self.buf.get(i).ok_or("unclosed doctype")?;
            match b {
                b'[' => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                b'>' if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
        self.pos = i + 1;
        Ok(())
    }
}

/// Character data as text: checked UTF-8, entities and character
/// references replaced; borrowed when there is nothing to replace.
fn unescape(text: &str) -> LexResult<Cow<'_, str>> {
    let Some(first) = text.find('&') else {
        return Ok(Cow::Borrowed(text));
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(text.get(..first).unwrap_or_default());
    let mut rest = text.get(first..).unwrap_or_default();
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp + 1..).unwrap_or_default();
        let semi = after.find(';').ok_or("an entity without `;`")?;
        let entity = after.get(..semi).unwrap_or_default();
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse::<u32>().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .ok_or("an unknown entity or bad character reference")?
            }
        };
        out.push(c);
        rest = after.get(semi + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// A position in a response body, inside some element.
///
/// ```
/// use lbcloud_aws::xml::Cursor;
///
/// let body = b"<R><Name>web</Name><Port>80</Port><Extra><x/></Extra></R>";
/// let mut c = Cursor::new("Test", body);
/// c.enter_root("R")?;
/// let (mut name, mut port) = (String::new(), 0u16);
/// c.for_each_child(|c, tag| {
///     match tag {
///         b"Name" => name = c.text()?,
///         b"Port" => port = c.parse("Port")?,
///         _ => {}
///     }
///     Ok(())
/// })?;
/// assert_eq!((name.as_str(), port), ("web", 80));
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
pub struct Cursor<'a> {
    lexer: Lexer<'a>,
    action: &'static str,
    /// How many elements are open.
    depth: usize,
    /// The element just handed to a `for_each_child` callback was `<x/>`:
    /// it has no content and no end event to consume.
    empty: bool,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `body`, the answer to `action`.
    pub fn new(action: &'static str, body: &'a [u8]) -> Self {
        Self {
            lexer: Lexer::new(body),
            action,
            depth: 0,
            empty: false,
        }
    }

    /// An `InvalidResponse` error naming the action and the byte position.
    ///
    /// It carries the action as its operation and no provider: the driver's
    /// call primitive tags it with both its provider and lbcloud operation.
    #[cold]
    pub fn error(&self, message: impl Display) -> Error {
        Error::new(
            ErrorKind::InvalidResponse,
            format!(
                "{} answer: {message} (near byte {})",
                self.action, self.lexer.pos
            ),
        )
        .with_operation(self.action)
    }

    #[inline]
    fn next(&mut self, skip_text: bool) -> Result<Token<'a>> {
        self.lexer
            .next(skip_text)
            .map_err(|e| self.error(format_args!("malformed XML: {e}")))
    }

    #[cold]
    fn truncated(&self) -> Error {
        self.error("the body ends before the XML is complete")
    }

    /// Moves into the root element and checks that its local name is `expected`.
    pub fn enter_root(&mut self, expected: &str) -> Result<()> {
        loop {
            let (ev_empty, name) = match self.next(true)? {
                Token::Start(n) => (false, n),
                Token::Empty(n) => (true, n),
                Token::Eof => return Err(self.error("the body holds no XML element")),
                Token::End => return Err(self.error("an end tag before the root element")),
                // Declaration, comments, doctype, white space before the root.
                Token::Text(..) | Token::CData(..) => continue,
            };
            let local = name;
            if local != expected.as_bytes() {
                let found = String::from_utf8_lossy(local).into_owned();
                return Err(self.error(format_args!(
                    "expected a <{expected}> document, found <{found}>"
                )));
            }
            self.empty = ev_empty;
            if !ev_empty {
                self.depth = 1;
            }
            return Ok(());
        }
    }

    /// Calls `f` with the local name of each child element of the current
    /// element, then leaves the current element.
    ///
    /// `f` may read the child (`text`, `for_each_child`, ...) or ignore it;
    /// whatever it leaves unread is skipped, so unknown elements cost one
    /// scan and any order of children works.
    pub fn for_each_child(
        &mut self,
        mut f: impl FnMut(&mut Self, &[u8]) -> Result<()>,
    ) -> Result<()> {
        if std::mem::take(&mut self.empty) {
            return Ok(());
        }
        loop {
            match self.next(true)? {
                Token::Start(name) => {
                    self.depth += 1;
                    let child_depth = self.depth;
                    f(self, name)?;
                    if self.depth >= child_depth {
                        self.skip_to(child_depth - 1)?;
                    }
                }
                Token::Empty(name) => {
                    self.empty = true;
                    f(self, name)?;
                    self.empty = false;
                }
                Token::End => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(());
                }
                Token::Eof => return Err(self.truncated()),
                // CDATA between elements.
                Token::Text(..) | Token::CData(..) => {}
            }
        }
    }

    /// Reads tokens until `depth` elements are open.
    fn skip_to(&mut self, depth: usize) -> Result<()> {
        while self.depth > depth {
            match self.next(true)? {
                Token::Start(_) => self.depth += 1,
                Token::End => self.depth -= 1,
                Token::Eof => return Err(self.truncated()),
                _ => {}
            }
        }
        Ok(())
    }

    /// Reads the text content of the current element and leaves it.
    ///
    /// Text is taken as sent (no trimming): only numbers, booleans and
    /// timestamps are trimmed, by their readers.
    pub fn text(&mut self) -> Result<String> {
        self.text_cow().map(Cow::into_owned)
    }

    /// Like [`text`](Self::text), but borrows from the body when the text
    /// needs no unescaping, so numbers and flags cost no allocation.
    pub fn text_cow(&mut self) -> Result<Cow<'a, str>> {
        if std::mem::take(&mut self.empty) {
            return Ok(Cow::Borrowed(""));
        }
        let mut out: Option<Cow<'a, str>> = None;
        loop {
            let piece = match self.next(false)? {
                Token::Text(from, to) => self
                    .lexer
                    .str_at(from, to)
                    .and_then(unescape)
                    .map_err(|e| self.error(format_args!("bad text: {e}")))?,
                Token::CData(from, to) => Cow::Borrowed(
                    self.lexer
                        .str_at(from, to)
                        .map_err(|e| self.error(format_args!("bad CDATA: {e}")))?,
                ),
                Token::End => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(out.unwrap_or_default());
                }
                Token::Start(name) | Token::Empty(name) => {
                    let found = String::from_utf8_lossy(name).into_owned();
                    return Err(self.error(format_args!("expected text, found element <{found}>")));
                }
                Token::Eof => return Err(self.truncated()),
            };
            match &mut out {
                // The common case: one text piece, borrowed or unescaped once.
                None => out = Some(piece),
                Some(s) => s.to_mut().push_str(&piece),
            }
        }
    }

    /// Reads the text of the current element; `None` when it is empty.
    pub fn opt_text(&mut self) -> Result<Option<String>> {
        let text = self.text()?;
        Ok((!text.is_empty()).then_some(text))
    }

    /// Reads the current element as a number (or anything `FromStr`), trimmed.
    /// `what` names the element in errors.
    pub fn parse<T: FromStr>(&mut self, what: &str) -> Result<T> {
        let text = self.text_cow()?;
        text.trim()
            .parse()
            .map_err(|_| self.error(format_args!("<{what}> holds {text:?}, not a valid value")))
    }

    /// Reads the current element as `true` / `false`.
    pub fn bool(&mut self, what: &str) -> Result<bool> {
        let text = self.text_cow()?;
        match text.trim() {
            t if t.eq_ignore_ascii_case("true") => Ok(true),
            t if t.eq_ignore_ascii_case("false") => Ok(false),
            _ => Err(self.error(format_args!("<{what}> holds {text:?}, not true or false"))),
        }
    }

    /// Reads a Query-protocol list: `f` is called for each `<member>` child;
    /// other children are skipped.
    pub fn members<T>(&mut self, mut f: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.for_each_child(|c, name| {
            if name == b"member" {
                out.push(f(c)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// Reads a list of text `<member>`s.
    pub fn text_members(&mut self) -> Result<Vec<String>> {
        self.members(Self::text)
    }
}

/// Parses a whole `<{Action}Response>` answer: `f` sees each child of
/// `<{Action}Result>`. Returns whether the Result element was present.
pub fn parse_result(
    action: &'static str,
    body: &[u8],
    mut f: impl FnMut(&mut Cursor<'_>, &[u8]) -> Result<()>,
) -> Result<bool> {
    let mut c = Cursor::new(action, body);
    let root = format!("{action}Response");
    c.enter_root(&root)?;
    let result = format!("{action}Result");
    let mut seen = false;
    c.for_each_child(|c, name| {
        if name == result.as_bytes() {
            seen = true;
            c.for_each_child(&mut f)?;
        }
        Ok(())
    })?;
    Ok(seen)
}

/// Like [`parse_result`], but a missing `<{Action}Result>` is an error: the
/// answer cannot be what the action returns.
pub fn parse_required_result(
    action: &'static str,
    body: &[u8],
    f: impl FnMut(&mut Cursor<'_>, &[u8]) -> Result<()>,
) -> Result<()> {
    if parse_result(action, body, f)? {
        Ok(())
    } else {
        Err(Cursor::new(action, body).error(format_args!("no <{action}Result> element")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(xml: &str) -> Result<Vec<(String, String)>> {
        let mut c = Cursor::new("Test", xml.as_bytes());
        c.enter_root("Root")?;
        let mut out = Vec::new();
        c.for_each_child(|c, name| {
            let name = String::from_utf8_lossy(name).into_owned();
            if name == "skip" {
                return Ok(());
            }
            out.push((name, c.text()?));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn reads_text_skips_unknown_and_ignores_prefixes() {
        let got = names(
            r#"<?xml version="1.0"?><!-- hi --><p:Root xmlns:p="urn:x">
                 <p:a>one &amp; two</p:a>
                 <skip><deep><deeper>x</deeper></deep></skip>
                 <b/>
                 <c><![CDATA[<raw>]]> tail</c>
               </p:Root>"#,
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                ("a".into(), "one & two".into()),
                ("b".into(), String::new()),
                ("c".into(), "<raw> tail".into()),
            ]
        );
    }

    #[test]
    fn hostile_bodies_are_errors() {
        for bad in [
            "",
            "   ",
            "<Root><a>x</a>",
            "<Root><a>x</b></Root>",
            "<Other/>",
            "<Root><a><x/></a></Root>",
            "<Root><a>&bogus;</a></Root>",
            "not xml at all",
        ] {
            let err = names(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{bad:?}");
            assert!(err.message().contains("Test answer"), "{bad:?}: {err}");
        }
        let mut bytes = b"<Root><a>".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        bytes.extend_from_slice(b"</a></Root>");
        let mut c = Cursor::new("Test", &bytes);
        c.enter_root("Root").unwrap();
        let r = c.for_each_child(|c, _| c.text().map(drop));
        assert_eq!(r.unwrap_err().kind(), ErrorKind::InvalidResponse);
    }

    #[test]
    fn deep_nesting_is_skipped_without_recursion() {
        let depth = 100_000;
        let xml = format!(
            "<Root><skip>{}{}</skip><a>ok</a></Root>",
            "<x>".repeat(depth),
            "</x>".repeat(depth)
        );
        assert_eq!(names(&xml).unwrap(), vec![("a".into(), "ok".into())]);
    }

    #[test]
    fn numbers_and_bools_are_trimmed_and_checked() {
        let xml = "<Root><n> 42 </n><big>99999999999999999999</big><t>True</t><f>no</f></Root>";
        let mut c = Cursor::new("Test", xml.as_bytes());
        c.enter_root("Root").unwrap();
        let mut seen = Vec::new();
        c.for_each_child(|c, name| {
            match name {
                b"n" => seen.push(format!("{:?}", c.parse::<u32>("n"))),
                b"big" => seen.push(format!("{}", c.parse::<u32>("big").is_err())),
                b"t" => seen.push(format!("{:?}", c.bool("t"))),
                b"f" => seen.push(format!("{}", c.bool("f").is_err())),
                _ => {}
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, ["Ok(42)", "true", "Ok(true)", "true"]);
    }
}
