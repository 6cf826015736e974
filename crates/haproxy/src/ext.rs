//! HAProxy-only operations, as inherent `ex_` methods of [`HaproxyDriver`].

use lbcloud_core::{Balancer, Error, Result, check};

use crate::{HaproxyDriver, convert, validate};

impl HaproxyDriver {
    /// Swaps the PEM certificate (certificate and key in one file) of the
    /// TLS listener on `port`: HAProxy's counterpart of ELB's "associate a
    /// different SSL certificate". The new file is checked with
    /// `haproxy -c` before the reload, so a bad certificate leaves the old
    /// one serving.
    ///
    /// ```no_run
    /// # async fn demo(driver: &lbcloud_haproxy::HaproxyDriver, lb: &lbcloud_core::Balancer)
    /// # -> lbcloud_core::Result<()> {
    /// let lb = driver.ex_set_certificate(lb, 443, "/etc/haproxy/certs/2027.pem").await?;
    /// assert_eq!(lb.listener(443).and_then(|l| l.certificate_id.as_deref()),
    ///            Some("/etc/haproxy/certs/2027.pem"));
    /// # Ok(()) }
    /// ```
    pub async fn ex_set_certificate(
        &self,
        balancer: &Balancer,
        port: u16,
        certificate: &str,
    ) -> Result<Balancer> {
        const OP: &str = "ex_set_certificate";
        let tag = |e: Error| e.with_provider("haproxy").with_operation(OP);
        check::balancer(OP, balancer).map_err(tag)?;
        validate::port("port", port).map_err(tag)?;
        validate::file_path("certificate", certificate).map_err(tag)?;
        let name = if balancer.id.is_empty() {
            balancer.name.clone()
        } else {
            balancer.id.clone()
        };
        let key = name.clone();
        let ((), model) = self
            .reconfigure(move |model| {
                let b = model
                    .balancer_mut(&key)
                    .ok_or_else(|| crate::driver::not_found(&key))?;
                let bind = b
                    .binds
                    .iter_mut()
                    .find(|bind| bind.port == port)
                    .ok_or_else(|| {
                        Error::invalid_input(
                            "port",
                            format!("{key:?} has no listener on port {port}"),
                        )
                    })?;
                if bind.cert.is_none() {
                    return Err(Error::invalid_input(
                        "port",
                        format!("the listener on port {port} does not terminate TLS"),
                    ));
                }
                bind.cert = Some(certificate.to_owned());
                Ok(())
            })
            .await
            .map_err(tag)?;
        let b = model
            .balancer(&name)
            .ok_or_else(|| crate::driver::not_found(&name))
            .map_err(tag)?;
        Ok(convert::balancer_of(b, &self.config_label()))
    }
}
