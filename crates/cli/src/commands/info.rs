//! What a build and a provider offer: providers, protocols, algorithms,
//! capabilities, and the shell completion scripts.

use clap::CommandFactory;

use super::Session;
use crate::cli::Cli;
use crate::exit::Outcome;
use crate::output::{self, ProviderInfo};

/// `lbcloud providers`: every built-in provider, compiled in or not, then
/// any other registered driver.
pub(crate) fn providers(s: &mut Session) -> Outcome {
    let mut list: Vec<ProviderInfo> = lbcloud::Provider::ALL
        .iter()
        .map(|p| ProviderInfo {
            name: p.name().to_owned(),
            aliases: p.aliases().iter().map(|a| (*a).to_owned()).collect(),
            feature: p.feature().to_owned(),
            compiled: p.is_compiled(),
        })
        .collect();
    for name in lbcloud::driver_names() {
        if !list.iter().any(|p| p.name == name) {
            list.push(ProviderInfo {
                name,
                aliases: Vec::new(),
                feature: String::new(),
                compiled: true,
            });
        }
    }
    s.out.many(&list, output::providers)
}

/// `lbcloud protocols`.
pub(crate) fn protocols(s: &mut Session) -> Outcome {
    let list = s.driver()?.list_protocols();
    s.out.many(&list, output::protocols)
}

/// `lbcloud algorithms`.
pub(crate) fn algorithms(s: &mut Session) -> Outcome {
    let list = s.driver()?.list_supported_algorithms();
    s.out.many(&list, output::algorithms)
}

/// `lbcloud capabilities`.
pub(crate) fn capabilities(s: &mut Session) -> Outcome {
    let caps = s.driver()?.capabilities();
    s.out.one(&caps, output::capabilities)
}

/// `lbcloud completions SHELL`: the script on stdout.
pub(crate) fn completions(shell: clap_complete::Shell) -> Outcome {
    let mut cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "lbcloud", &mut out);
    std::io::Write::flush(&mut out)?;
    Ok(())
}
