//! The typed failure of a conformance scenario.

use std::fmt;

/// One scenario's failure: which scenario, at which step, what the contract
/// expected and what the driver did instead.
///
/// The kit never panics on a driver's misbehaviour; it returns this, so a
/// test can run the kit against a deliberately broken driver and assert
/// which scenario failed.
///
/// ```
/// use lbcloud_core::testkit::KitError;
///
/// let e = KitError::new("already_exists", "create a duplicate", "AlreadyExists", "Ok(lb-2)");
/// assert_eq!(e.scenario, "already_exists");
/// assert_eq!(
///     e.to_string(),
///     "[already_exists] create a duplicate: expected AlreadyExists, found Ok(lb-2)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("[{scenario}] {step}: expected {expected}, found {found}")]
#[non_exhaustive]
pub struct KitError {
    /// The scenario that failed (one of [`SCENARIOS`](super::SCENARIOS), or
    /// `options` when the [`KitOptions`](super::KitOptions) are unusable).
    pub scenario: &'static str,
    /// The step within the scenario.
    pub step: String,
    /// What the contract requires.
    pub expected: String,
    /// What the driver did.
    pub found: String,
}

impl KitError {
    /// A failure of `scenario` at `step`.
    pub fn new(
        scenario: &'static str,
        step: impl Into<String>,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        Self {
            scenario,
            step: step.into(),
            expected: expected.into(),
            found: found.into(),
        }
    }
}

/// The outcome of [`run_all`](super::run_all): the scenarios that passed and
/// the failures of the others.
///
/// `Display` prints one line per scenario, so `assert!(report.is_success(),
/// "{report}")` shows everything at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct KitReport {
    /// The scenarios that passed, in run order.
    pub passed: Vec<&'static str>,
    /// The failures, in run order.
    pub failed: Vec<KitError>,
}

impl KitReport {
    /// Whether every scenario passed.
    pub fn is_success(&self) -> bool {
        self.failed.is_empty()
    }

    /// The failure of `scenario`, if it failed.
    pub fn failure(&self, scenario: &str) -> Option<&KitError> {
        self.failed.iter().find(|e| e.scenario == scenario)
    }

    /// `Ok` with the report if every scenario passed, else the first failure.
    pub fn into_result(self) -> Result<Self, KitError> {
        match self.failed.first() {
            Some(first) => Err(first.clone()),
            None => Ok(self),
        }
    }
}

impl fmt::Display for KitReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "conformance kit: {} passed, {} failed",
            self.passed.len(),
            self.failed.len()
        )?;
        for p in &self.passed {
            writeln!(f, "  ok   {p}")?;
        }
        for e in &self.failed {
            writeln!(f, "  FAIL {e}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lists_passes_and_failures() {
        let report = KitReport {
            passed: vec!["a"],
            failed: vec![KitError::new("b", "step", "x", "y")],
        };
        assert!(!report.is_success());
        assert_eq!(report.failure("b").map(|e| e.found.as_str()), Some("y"));
        assert!(report.failure("a").is_none());
        let text = report.to_string();
        assert!(text.contains("1 passed, 1 failed"), "{text}");
        assert!(
            text.contains("FAIL [b] step: expected x, found y"),
            "{text}"
        );
        assert_eq!(report.into_result().unwrap_err().scenario, "b");
    }
}
