//! Listeners: create, delete (one or many ports), swap a certificate.

use lbcloud_core::{Listener, Result};

use super::BalancerRef;
use crate::driver::ElbDriver;
use crate::request;
use crate::response;

impl ElbDriver {
    /// Adds listeners to a balancer (`CreateLoadBalancerListeners`): each
    /// with its front protocol and port, instance protocol and port, and a
    /// certificate id for HTTPS and SSL. Every listener is checked (ELB
    /// protocols, ports 1-65535, protocols of one layer, a certificate
    /// exactly on HTTPS/SSL, no port twice) before the request.
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// use lbcloud_core::{Listener, Protocol};
    ///
    /// let https = Listener::new(443, Protocol::Https, 8080)
    ///     .instance_protocol(Protocol::Http)
    ///     .certificate("arn:aws:iam::123456789012:server-certificate/example");
    /// driver.ex_create_balancer_listeners("web", &[https]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_create_balancer_listeners(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        listeners: &[Listener],
    ) -> Result<()> {
        const OP: &str = "ex_create_balancer_listeners";
        let params = request::create_load_balancer_listeners(balancer.balancer_name(), listeners);
        self.send_on(OP, balancer.balancer_name(), params, |b| {
            response::parse_empty_result("CreateLoadBalancerListeners", b)
        })
        .await
    }

    /// Removes the listeners on `ports` (one or many, in one call)
    /// (`DeleteLoadBalancerListeners`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// driver.ex_delete_balancer_listeners("web", &[443]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_delete_balancer_listeners(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        ports: &[u16],
    ) -> Result<()> {
        const OP: &str = "ex_delete_balancer_listeners";
        let params = request::delete_load_balancer_listeners(balancer.balancer_name(), ports);
        self.send_on(OP, balancer.balancer_name(), params, |b| {
            response::parse_empty_result("DeleteLoadBalancerListeners", b)
        })
        .await
    }

    /// Replaces the certificate of the HTTPS or SSL listener on `port`
    /// (`SetLoadBalancerListenerSSLCertificate`), for example to roll a
    /// renewed certificate onto port 443 without recreating the listener.
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// driver
    ///     .ex_set_balancer_listener_ssl_certificate(
    ///         "web",
    ///         443,
    ///         "arn:aws:iam::123456789012:server-certificate/renewed",
    ///     )
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_set_balancer_listener_ssl_certificate(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        port: u16,
        certificate_id: &str,
    ) -> Result<()> {
        const OP: &str = "ex_set_balancer_listener_ssl_certificate";
        let params = request::set_load_balancer_listener_ssl_certificate(
            balancer.balancer_name(),
            port,
            certificate_id,
        );
        self.send_on(OP, balancer.balancer_name(), params, |b| {
            response::parse_empty_result("SetLoadBalancerListenerSSLCertificate", b)
        })
        .await
    }
}
