//! A small streaming cursor over `quick_xml::Reader`, so each response parser
//! reads like the shape it parses.
//!
//! Why not serde: a 400-balancer page is about 1.3 MB and must parse several
//! times faster than a serde-driven parse. The cursor reads events straight
//! from the body slice, compares element *local* names as bytes (any
//! namespace prefix is ignored), allocates each text value once (borrowed
//! text becomes one `String`, escaped text is unescaped once), and skips
//! unknown elements without looking inside them.
//!
//! Nothing here panics on any input: depth is tracked with a counter (no
//! recursion on unknown elements), and every malformed, truncated or
//! non-UTF-8 body becomes an [`ErrorKind::InvalidResponse`] error.

use std::borrow::Cow;
use std::fmt::Display;
use std::str::FromStr;

use lbcloud_core::{Error, ErrorKind, Result};
use quick_xml::Reader;
use quick_xml::events::Event;

/// A position in a response body, inside some element.
pub(crate) struct Cursor<'a> {
    reader: Reader<&'a [u8]>,
    action: &'static str,
    /// How many elements are open.
    depth: usize,
    /// The element just handed to a `for_each_child` callback was `<x/>`:
    /// it has no content and no end event to consume.
    empty: bool,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `body`, the answer to `action`.
    pub(crate) fn new(action: &'static str, body: &'a [u8]) -> Self {
        Self {
            reader: Reader::from_reader(body),
            action,
            depth: 0,
            empty: false,
        }
    }

    /// An `InvalidResponse` error naming the action and the byte position.
    #[cold]
    pub(crate) fn error(&self, message: impl Display) -> Error {
        Error::new(
            ErrorKind::InvalidResponse,
            format!(
                "{} answer: {message} (near byte {})",
                self.action,
                self.reader.buffer_position()
            ),
        )
        .with_provider("elb")
        .with_operation(self.action)
    }

    #[inline]
    fn next(&mut self) -> Result<Event<'a>> {
        self.reader
            .read_event()
            .map_err(|e| self.error(format_args!("malformed XML: {e}")))
    }

    #[cold]
    fn truncated(&self) -> Error {
        self.error("the body ends before the XML is complete")
    }

    /// Moves into the root element and checks that its local name is `expected`.
    pub(crate) fn enter_root(&mut self, expected: &str) -> Result<()> {
        loop {
            let (ev_empty, ev) = match self.next()? {
                Event::Start(e) => (false, e),
                Event::Empty(e) => (true, e),
                Event::Eof => return Err(self.error("the body holds no XML element")),
                // Declaration, comments, doctype, white space before the root.
                _ => continue,
            };
            if ev.local_name().as_ref() != expected.as_bytes() {
                let found = String::from_utf8_lossy(ev.local_name().as_ref()).into_owned();
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
    pub(crate) fn for_each_child(
        &mut self,
        mut f: impl FnMut(&mut Self, &[u8]) -> Result<()>,
    ) -> Result<()> {
        if std::mem::take(&mut self.empty) {
            return Ok(());
        }
        loop {
            match self.next()? {
                Event::Start(e) => {
                    self.depth += 1;
                    let child_depth = self.depth;
                    f(self, e.local_name().as_ref())?;
                    if self.depth >= child_depth {
                        self.skip_to(child_depth - 1)?;
                    }
                }
                Event::Empty(e) => {
                    self.empty = true;
                    f(self, e.local_name().as_ref())?;
                    self.empty = false;
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(());
                }
                Event::Eof => return Err(self.truncated()),
                // Text between elements (white space), comments, PIs.
                _ => {}
            }
        }
    }

    /// Reads events until `depth` elements are open.
    fn skip_to(&mut self, depth: usize) -> Result<()> {
        while self.depth > depth {
            match self.next()? {
                Event::Start(_) => self.depth += 1,
                Event::End(_) => self.depth -= 1,
                Event::Eof => return Err(self.truncated()),
                _ => {}
            }
        }
        Ok(())
    }

    /// Reads the text content of the current element and leaves it.
    ///
    /// Text is taken as sent (no trimming): only numbers, booleans and
    /// timestamps are trimmed, by their readers.
    pub(crate) fn text(&mut self) -> Result<String> {
        self.text_cow().map(Cow::into_owned)
    }

    /// Like [`text`](Self::text), but borrows from the body when the text
    /// needs no unescaping, so numbers and flags cost no allocation.
    pub(crate) fn text_cow(&mut self) -> Result<Cow<'a, str>> {
        if std::mem::take(&mut self.empty) {
            return Ok(Cow::Borrowed(""));
        }
        let mut out: Option<Cow<'a, str>> = None;
        loop {
            let piece = match self.next()? {
                Event::Text(t) => t
                    .unescape()
                    .map_err(|e| self.error(format_args!("bad text: {e}")))?,
                Event::CData(t) => t
                    .decode()
                    .map_err(|e| self.error(format_args!("bad CDATA: {e}")))?,
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(out.unwrap_or_default());
                }
                Event::Start(e) | Event::Empty(e) => {
                    let found = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    return Err(self.error(format_args!("expected text, found element <{found}>")));
                }
                Event::Eof => return Err(self.truncated()),
                _ => continue,
            };
            match &mut out {
                // The common case: one text event, borrowed or unescaped once.
                None => out = Some(piece),
                Some(s) => s.to_mut().push_str(&piece),
            }
        }
    }

    /// Reads the text of the current element; `None` when it is empty.
    pub(crate) fn opt_text(&mut self) -> Result<Option<String>> {
        let text = self.text()?;
        Ok((!text.is_empty()).then_some(text))
    }

    /// Reads the current element as a number (or anything `FromStr`), trimmed.
    /// `what` names the element in errors.
    pub(crate) fn parse<T: FromStr>(&mut self, what: &str) -> Result<T> {
        let text = self.text_cow()?;
        text.trim()
            .parse()
            .map_err(|_| self.error(format_args!("<{what}> holds {text:?}, not a valid value")))
    }

    /// Reads the current element as `true` / `false`.
    pub(crate) fn bool(&mut self, what: &str) -> Result<bool> {
        let text = self.text_cow()?;
        match text.trim() {
            t if t.eq_ignore_ascii_case("true") => Ok(true),
            t if t.eq_ignore_ascii_case("false") => Ok(false),
            _ => Err(self.error(format_args!("<{what}> holds {text:?}, not true or false"))),
        }
    }

    /// Reads a Query-protocol list: `f` is called for each `<member>` child;
    /// other children are skipped.
    pub(crate) fn members<T>(
        &mut self,
        mut f: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<T>> {
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
    pub(crate) fn text_members(&mut self) -> Result<Vec<String>> {
        self.members(Self::text)
    }
}

/// Parses a whole `<{Action}Response>` answer: `f` sees each child of
/// `<{Action}Result>`. Returns whether the Result element was present.
pub(crate) fn parse_result(
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
pub(crate) fn parse_required_result(
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
