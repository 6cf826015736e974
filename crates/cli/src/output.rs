//! Printing results: aligned tables at most 100 columns wide, or JSON.
//!
//! JSON is the serde form of lbcloud's types, one document per command:
//! an object on one line, or an array with one element per line (so a
//! listing can be printed page by page as it arrives). Commands hand their
//! results to a [`Printer`] and never format anything themselves.

use std::io::{self, Write};
use std::time::Duration;

use lbcloud::{Algorithm, Balancer, Capabilities, HealthCheck, Member, MemberHealth, Protocol};
use serde::Serialize;

use crate::cli::Format;
use crate::exit::Outcome;

/// The widest a table may be.
pub(crate) const MAX_WIDTH: usize = 100;
/// The space between two columns.
const GAP: &str = "  ";

/// Prints results to standard output in the chosen format.
pub(crate) struct Printer {
    format: Format,
    out: Box<dyn Write>,
}

impl Printer {
    /// A printer to standard output.
    pub(crate) fn stdout(format: Format) -> Self {
        Self::new(format, Box::new(io::BufWriter::new(io::stdout())))
    }

    /// A printer to any writer.
    pub(crate) fn new(format: Format, out: Box<dyn Write>) -> Self {
        Self { format, out }
    }

    /// Whether results are printed as JSON.
    #[cfg_attr(not(feature = "elb"), allow(dead_code))]
    pub(crate) fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    /// Prints one value: its JSON form, or the table `table` builds from it.
    pub(crate) fn one<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
        table: impl FnOnce(&T) -> Table,
    ) -> Outcome {
        match self.format {
            Format::Json => {
                serde_json::to_writer(&mut self.out, value).map_err(io::Error::from)?;
                writeln!(self.out)?;
            }
            Format::Table => table(value).write(&mut self.out)?,
        }
        self.flush()
    }

    /// Prints a list: a JSON array, or the table `table` builds from it.
    pub(crate) fn many<T: Serialize>(
        &mut self,
        items: &[T],
        table: impl FnOnce(&[T]) -> Table,
    ) -> Outcome {
        match self.format {
            Format::Json => {
                let mut list = JsonList::default();
                list.items(&mut self.out, items)?;
                list.end(&mut self.out)?;
            }
            Format::Table => table(items).write(&mut self.out)?,
        }
        self.flush()
    }

    /// Prints a line of text in table mode and `json` in JSON mode (for
    /// commands whose result is a confirmation).
    pub(crate) fn done<T: Serialize + ?Sized>(&mut self, text: &str, json: &T) -> Outcome {
        self.one(json, |_| Table::text(text))
    }

    /// Starts a list printed page by page: `header` and `row` describe the
    /// table; column widths are set by the first page (at least `min`).
    pub(crate) fn stream<'p, T: Serialize>(
        &'p mut self,
        header: Option<&'static [&'static str]>,
        min: &'static [usize],
        row: fn(&T) -> Vec<String>,
    ) -> Stream<'p, T> {
        Stream {
            printer: self,
            header,
            min,
            row,
            widths: None,
            json: JsonList::default(),
        }
    }

    fn flush(&mut self) -> Outcome {
        self.out.flush()?;
        Ok(())
    }
}

/// A JSON array written element by element.
#[derive(Default)]
struct JsonList {
    started: bool,
    count: usize,
}

impl JsonList {
    fn items<T: Serialize>(&mut self, w: &mut dyn Write, items: &[T]) -> io::Result<()> {
        if !self.started {
            w.write_all(b"[")?;
            self.started = true;
        }
        for item in items {
            w.write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
            serde_json::to_writer(&mut *w, item)?;
            self.count += 1;
        }
        Ok(())
    }

    fn end(mut self, w: &mut dyn Write) -> io::Result<()> {
        self.items::<()>(w, &[])?;
        w.write_all(if self.count == 0 { b"]\n" } else { b"\n]\n" })
    }
}

/// A list printed page by page as pages arrive.
pub(crate) struct Stream<'p, T> {
    printer: &'p mut Printer,
    header: Option<&'static [&'static str]>,
    min: &'static [usize],
    row: fn(&T) -> Vec<String>,
    widths: Option<Vec<usize>>,
    json: JsonList,
}

impl<T: Serialize> Stream<'_, T> {
    /// Prints one page and flushes it.
    pub(crate) fn page(&mut self, items: &[T]) -> Outcome {
        let out = &mut self.printer.out;
        match self.printer.format {
            Format::Json => self.json.items(out, items)?,
            Format::Table => {
                let rows: Vec<Vec<String>> = items.iter().map(self.row).collect();
                let widths = match &self.widths {
                    Some(w) => w.clone(),
                    None => {
                        let mut table = Table::new(self.header.unwrap_or(&[]));
                        table.show_header = self.header.is_some();
                        table.rows.clone_from(&rows);
                        let mut w = table.widths();
                        for (w, m) in w.iter_mut().zip(self.min) {
                            *w = (*w).max(*m);
                        }
                        fit(&mut w);
                        if let Some(h) = self.header {
                            write_row(
                                out,
                                &h.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
                                &w,
                            )?;
                        }
                        self.widths = Some(w.clone());
                        w
                    }
                };
                for r in &rows {
                    write_row(out, r, &widths)?;
                }
            }
        }
        self.printer.flush()
    }

    /// Ends the list (closes the JSON array; prints the header of an empty table).
    pub(crate) fn end(mut self) -> Outcome {
        match self.printer.format {
            Format::Json => self.json.end(&mut self.printer.out)?,
            Format::Table if self.widths.is_none() => self.page(&[])?,
            Format::Table => {}
        }
        self.printer.flush()
    }
}

/// Rows of text cells under optional headers.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    show_header: bool,
}

impl Table {
    /// A table with these column headers.
    pub(crate) fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            show_header: true,
        }
    }

    /// A headerless two-column table of fields and values.
    pub(crate) fn fields(pairs: Vec<(&str, String)>) -> Self {
        let mut t = Self::new(&["FIELD", "VALUE"]);
        t.show_header = false;
        for (k, v) in pairs {
            t.row(vec![k.to_owned(), v]);
        }
        t
    }

    /// One line of text.
    pub(crate) fn text(text: &str) -> Self {
        let mut t = Self::new(&[""]);
        t.show_header = false;
        t.row(vec![text.to_owned()]);
        t
    }

    /// Adds a row.
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Each column's width: its widest cell or header, in characters.
    fn widths(&self) -> Vec<usize> {
        let n = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0);
        let mut w = vec![0; n];
        if self.show_header {
            for (slot, h) in w.iter_mut().zip(&self.headers) {
                *slot = h.chars().count();
            }
        }
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(n) {
                if let Some(slot) = w.get_mut(i) {
                    *slot = (*slot).max(clean(cell).chars().count());
                }
            }
        }
        w
    }

    /// Writes the table, aligned and at most [`MAX_WIDTH`] wide.
    pub(crate) fn write(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut widths = self.widths();
        fit(&mut widths);
        if self.show_header {
            write_row(w, &self.headers, &widths)?;
        }
        for row in &self.rows {
            write_row(w, row, &widths)?;
        }
        Ok(())
    }
}

/// Shrinks the widest columns until the row fits [`MAX_WIDTH`].
fn fit(widths: &mut [usize]) {
    let total = |w: &[usize]| w.iter().sum::<usize>() + GAP.len() * w.len().saturating_sub(1);
    while total(widths) > MAX_WIDTH {
        let Some(widest) = widths.iter_mut().max() else {
            return;
        };
        if *widest <= 4 {
            return;
        }
        *widest -= 1;
    }
}

/// Writes one row: cells padded to their widths (the last one not padded),
/// cut with `…` where too long.
fn write_row(w: &mut dyn Write, cells: &[String], widths: &[usize]) -> io::Result<()> {
    let mut line = String::new();
    let last = widths.len().saturating_sub(1);
    for (i, width) in widths.iter().enumerate() {
        let cell = clean(cells.get(i).map_or("", String::as_str));
        let len = cell.chars().count();
        let text = if len > *width {
            let mut cut: String = cell.chars().take(width.saturating_sub(1)).collect();
            cut.push('…');
            cut
        } else {
            cell
        };
        line.push_str(&text);
        if i < last {
            let pad = width.saturating_sub(text.chars().count());
            line.extend(std::iter::repeat_n(' ', pad));
            line.push_str(GAP);
        }
    }
    writeln!(w, "{}", line.trim_end())
}

/// A cell without control characters, so a provider's text cannot break
/// the alignment or drive the terminal.
fn clean(text: &str) -> String {
    crate::exit::one_line(text)
}

/// `-` for nothing.
fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "-".to_owned())
}

/// A duration as `20s` or `500ms`.
pub(crate) fn duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// A time as ISO 8601 in UTC with milliseconds, as ELB's tools printed it.
pub(crate) fn time(t: Option<time::OffsetDateTime>) -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    t.and_then(|t| t.to_offset(time::UtcOffset::UTC).format(FORMAT).ok())
        .unwrap_or_else(|| "-".to_owned())
}

/// The listeners as `http:80->http:8080`, comma-separated.
fn listeners(b: &Balancer) -> String {
    if b.listeners.is_empty() {
        return match (b.protocol, b.port) {
            (Some(p), Some(port)) => format!("{p}:{port}"),
            _ => "-".to_owned(),
        };
    }
    b.listeners
        .iter()
        .map(|l| l.to_string().replace(" -> ", "->"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The columns of `lbcloud list`.
pub(crate) const BALANCER_HEADER: &[&str] = &["ID", "NAME", "STATE", "ADDRESS", "LISTENERS"];
/// Their least widths, so later pages rarely need cutting.
pub(crate) const BALANCER_MIN: &[usize] = &[12, 24, 7, 20, 16];

/// One row of `lbcloud list`.
pub(crate) fn balancer_row(b: &Balancer) -> Vec<String> {
    vec![
        b.id.clone(),
        b.name.clone(),
        b.state.to_string(),
        or_dash(b.ip.clone()),
        listeners(b),
    ]
}

/// One balancer, field by field.
pub(crate) fn balancer(b: &Balancer) -> Table {
    let mut pairs = vec![
        ("id", b.id.clone()),
        ("name", b.name.clone()),
        ("state", b.state.to_string()),
        ("address", or_dash(b.ip.clone())),
        ("listeners", listeners(b)),
        ("algorithm", or_dash(b.algorithm.map(|a| a.to_string()))),
        (
            "health check",
            or_dash(b.health_check.as_ref().and_then(HealthCheck::target)),
        ),
        (
            "zones",
            or_dash((!b.zones.is_empty()).then(|| b.zones.join(","))),
        ),
        ("created", time(b.created_at)),
    ];
    if !b.tags.is_empty() {
        let tags: Vec<String> = b.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        pairs.push(("tags", tags.join(",")));
    }
    Table::fields(pairs)
}

/// Members, one per row.
pub(crate) fn members(list: &[Member]) -> Table {
    let mut t = Table::new(&["ID", "KIND", "ADDRESS", "PORT", "WEIGHT", "CONDITION"]);
    for m in list {
        t.row(vec![
            if m.id.is_empty() {
                "-".to_owned()
            } else {
                m.id.clone()
            },
            m.kind.to_string(),
            or_dash(m.ip.clone()),
            or_dash(m.port.map(|p| p.to_string())),
            or_dash(m.weight.map(|w| w.to_string())),
            m.condition.to_string(),
        ]);
    }
    t
}

/// Member health, one per row.
pub(crate) fn health(list: &[MemberHealth]) -> Table {
    let mut t = Table::new(&["MEMBER", "STATE", "REASON", "DESCRIPTION"]);
    for h in list {
        t.row(vec![
            h.member_id.clone(),
            h.state.to_string(),
            or_dash(h.reason_code.clone()),
            or_dash(h.description.clone()),
        ]);
    }
    t
}

/// A health check field by field, or `none`.
pub(crate) fn health_check(hc: &Option<HealthCheck>) -> Table {
    let Some(hc) = hc else {
        return Table::text("none");
    };
    let mut pairs = vec![
        (
            "target",
            hc.target()
                .unwrap_or_else(|| format!("{} (member port)", hc.protocol)),
        ),
        ("interval", duration(hc.interval)),
        ("timeout", duration(hc.timeout)),
        ("healthy", hc.healthy_threshold.to_string()),
        ("unhealthy", hc.unhealthy_threshold.to_string()),
    ];
    if let Some(codes) = &hc.expected_codes {
        pairs.push(("codes", codes.clone()));
    }
    Table::fields(pairs)
}

/// Capabilities, one flag per row.
pub(crate) fn capabilities(c: &Capabilities) -> Table {
    let mut t = Table::new(&["CAPABILITY", "SUPPORTED"]);
    for (name, on) in c.flags() {
        t.row(vec![
            name.to_owned(),
            if on { "yes" } else { "no" }.to_owned(),
        ]);
    }
    t
}

/// One column of names.
fn names<T: ToString>(header: &str, list: &[T]) -> Table {
    let mut t = Table::new(&[header]);
    for v in list {
        t.row(vec![v.to_string()]);
    }
    t
}

/// Protocols, one per row.
pub(crate) fn protocols(list: &[Protocol]) -> Table {
    names("PROTOCOL", list)
}

/// Algorithms, one per row.
pub(crate) fn algorithms(list: &[Algorithm]) -> Table {
    names("ALGORITHM", list)
}

/// A built-in provider, as `lbcloud providers` prints it.
#[derive(Debug, Serialize)]
pub(crate) struct ProviderInfo {
    /// The registry name.
    pub(crate) name: String,
    /// Other names that select it.
    pub(crate) aliases: Vec<String>,
    /// The cargo feature of the `lbcloud` crate that compiles it in.
    pub(crate) feature: String,
    /// Whether it is compiled into this binary.
    pub(crate) compiled: bool,
}

/// Providers, one per row.
pub(crate) fn providers(list: &[ProviderInfo]) -> Table {
    let mut t = Table::new(&["NAME", "COMPILED", "FEATURE", "ALIASES"]);
    for p in list {
        t.row(vec![
            p.name.clone(),
            if p.compiled { "yes" } else { "no" }.to_owned(),
            p.feature.clone(),
            or_dash((!p.aliases.is_empty()).then(|| p.aliases.join(","))),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A writer tests can read back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| io::Error::other("poisoned"))?
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().map(|v| v.clone()).unwrap_or_default())
                .into_owned()
        }
    }

    fn printer(format: Format) -> (Printer, Shared) {
        let buf = Shared::default();
        (Printer::new(format, Box::new(buf.clone())), buf)
    }

    fn lb(id: &str, name: &str) -> Balancer {
        Balancer::new(id, name).with_ip(format!("{name}.example.com"))
    }

    #[test]
    fn tables_align_and_fit_100_columns() -> Outcome {
        let mut t = Table::new(&["A", "LONG HEADER", "C"]);
        t.row(vec!["x".repeat(80), "y".into(), "z".repeat(70)]);
        t.row(vec!["short".into(), "y2".into(), "\u{1b}[31mred".into()]);
        let mut out = Vec::new();
        t.write(&mut out)?;
        let text = String::from_utf8_lossy(&out);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        for l in &lines {
            assert!(
                l.chars().count() <= MAX_WIDTH,
                "{} wide: {l}",
                l.chars().count()
            );
            assert!(!l.contains('\u{1b}'), "{l}");
        }
        // The second column starts at the same place on every line.
        let at: Vec<Option<usize>> = lines
            .iter()
            .map(|l| {
                l.char_indices()
                    .find(|(_, c)| *c == 'y' || *c == 'L')
                    .map(|(i, _)| l[..i].chars().count())
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] == w[1]), "{at:?}\n{text}");
        assert!(text.contains('…'));
        Ok(())
    }

    #[test]
    fn a_stream_keeps_the_first_pages_widths_and_json_is_one_array() -> Outcome {
        let (mut p, buf) = printer(Format::Table);
        let mut s = p.stream(Some(BALANCER_HEADER), BALANCER_MIN, balancer_row);
        s.page(&[lb("lb-000001", "web")])?;
        s.page(&[lb("lb-000002", "a-much-longer-balancer-name")])?;
        s.end()?;
        let text = buf.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        let col = |l: &str| {
            let at = l.find("unknown").or_else(|| l.find("STATE"))?;
            Some(l[..at].chars().count())
        };
        assert!(col(lines[0]).is_some());
        assert_eq!(col(lines[0]), col(lines[1]));
        assert_eq!(col(lines[1]), col(lines[2]), "{text}");

        let (mut p, buf) = printer(Format::Table);
        let mut s = p.stream(None, &[3, 3], |b: &Balancer| {
            vec![b.id.clone(), b.name.clone()]
        });
        s.page(&[lb("lb-000001", "web")])?;
        s.end()?;
        assert_eq!(buf.text(), "lb-000001  web\n");

        let (mut p, buf) = printer(Format::Json);
        let mut s = p.stream(None, &[], balancer_row);
        s.page(&[lb("lb-000001", "web")])?;
        s.page(&[])?;
        s.page(&[lb("lb-000002", "api")])?;
        s.end()?;
        let back: Vec<Balancer> = serde_json::from_str(&buf.text()).map_err(io::Error::from)?;
        assert_eq!(back, vec![lb("lb-000001", "web"), lb("lb-000002", "api")]);

        let (mut p, buf) = printer(Format::Json);
        p.stream::<Balancer>(None, &[], balancer_row).end()?;
        assert_eq!(buf.text(), "[]\n");
        let (mut p, buf) = printer(Format::Table);
        p.stream::<Balancer>(Some(BALANCER_HEADER), BALANCER_MIN, balancer_row)
            .end()?;
        assert!(buf.text().starts_with("ID "), "{}", buf.text());
        Ok(())
    }

    #[test]
    fn one_and_many_print_one_json_document() -> Outcome {
        let (mut p, buf) = printer(Format::Json);
        p.many(
            &[Member::instance("i-1"), Member::address("10.0.0.1", 80)],
            members,
        )?;
        let back: Vec<Member> = serde_json::from_str(&buf.text()).map_err(io::Error::from)?;
        assert_eq!(back.len(), 2);
        let (mut p, buf) = printer(Format::Json);
        p.one(&None::<HealthCheck>, health_check)?;
        assert_eq!(buf.text(), "null\n");
        let (mut p, buf) = printer(Format::Table);
        p.one(&lb("lb-1", "web"), balancer)?;
        assert!(buf.text().contains("web.example.com"));
        Ok(())
    }

    #[test]
    fn durations_and_times() {
        assert_eq!(duration(Duration::from_secs(20)), "20s");
        assert_eq!(duration(Duration::from_millis(1500)), "1500ms");
        let t = time::macros::datetime!(2011-05-24 22:38:31.69 UTC);
        assert_eq!(self::time(Some(t)), "2011-05-24T22:38:31.690Z");
        assert_eq!(self::time(None), "-");
    }
}
