//! Listeners, their certificates and attributes, and listener rules.

use lbcloud_core::Result;

use super::{found, single};
use crate::driver::{Elbv2Driver, Pages};
use crate::model::{
    Attribute, Certificate, CreateListenerInput, CreateRuleInput, Listener, ModifyListenerInput,
    ModifyRuleInput, Rule,
};
use crate::{request, response};

const NONE: &[&str] = &[];

impl Elbv2Driver {
    /// Creates a listener (`CreateListener`, libcloud's `ex_create_listener`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elbv2::Elbv2Driver, lb: &str, tg: &str) -> lbcloud_core::Result<()> {
    /// use lbcloud_elbv2::model::{Action, CreateListenerInput, Elbv2Protocol};
    ///
    /// let l = driver
    ///     .ex_create_listener(&CreateListenerInput::new(lb, Elbv2Protocol::Http, 80, Action::forward(tg)))
    ///     .await?;
    /// println!("{}", l.arn);
    /// # Ok(()) }
    /// ```
    pub async fn ex_create_listener(&self, input: &CreateListenerInput) -> Result<Listener> {
        const A: &str = "CreateListener";
        self.call("ex_create_listener", request::create_listener(input), |b| {
            single(A, b, response::parse_listeners(A, b)?.items)
        })
        .await
    }

    /// Changes a listener (`ModifyListener`).
    pub async fn ex_modify_listener(
        &self,
        arn: &str,
        input: &ModifyListenerInput,
    ) -> Result<Listener> {
        const A: &str = "ModifyListener";
        self.call(
            "ex_modify_listener",
            request::modify_listener(arn, input),
            |b| single(A, b, response::parse_listeners(A, b)?.items),
        )
        .await
    }

    /// Deletes a listener (`DeleteListener`).
    pub async fn ex_delete_listener(&self, arn: &str) -> Result<()> {
        self.call("ex_delete_listener", request::delete_listener(arn), |b| {
            response::parse_empty("DeleteListener", b)
        })
        .await
    }

    /// A load balancer's listeners, a page at a time (`DescribeListeners`).
    pub fn ex_listeners_pages<'a>(&'a self, load_balancer_arn: &'a str) -> Pages<'a, Listener> {
        self.pages(
            "ex_listeners_pages",
            move |marker, size| {
                request::describe_listeners(Some(load_balancer_arn), NONE, marker, Some(size))
            },
            |b| response::parse_listeners("DescribeListeners", b),
        )
    }

    /// Every listener of a load balancer (`DescribeListeners`, every page).
    pub async fn ex_list_listeners(&self, load_balancer_arn: &str) -> Result<Vec<Listener>> {
        Self::collect(self.ex_listeners_pages(load_balancer_arn)).await
    }

    /// One listener by ARN (`DescribeListeners`, libcloud's `ex_get_listener`).
    pub async fn ex_get_listener(&self, arn: &str) -> Result<Listener> {
        let params = request::describe_listeners(None, &[arn], None, None);
        self.call("ex_get_listener", params, |b| {
            found(
                "listener",
                arn,
                response::parse_listeners("DescribeListeners", b)?.items,
            )
        })
        .await
    }

    /// Adds certificates beyond the default (`AddListenerCertificates`).
    pub async fn ex_add_listener_certificates(
        &self,
        arn: &str,
        certificates: &[Certificate],
    ) -> Result<Vec<Certificate>> {
        const A: &str = "AddListenerCertificates";
        self.call(
            "ex_add_listener_certificates",
            request::add_listener_certificates(arn, certificates),
            |b| Ok(response::parse_certificates(A, b)?.items),
        )
        .await
    }

    /// Removes certificates (`RemoveListenerCertificates`).
    pub async fn ex_remove_listener_certificates<S: AsRef<str>>(
        &self,
        arn: &str,
        certificate_arns: &[S],
    ) -> Result<()> {
        self.call(
            "ex_remove_listener_certificates",
            request::remove_listener_certificates(arn, certificate_arns),
            |b| response::parse_empty("RemoveListenerCertificates", b),
        )
        .await
    }

    /// Every certificate of a listener, the default marked
    /// (`DescribeListenerCertificates`, every page).
    pub async fn ex_describe_listener_certificates(&self, arn: &str) -> Result<Vec<Certificate>> {
        Self::collect(self.pages(
            "ex_describe_listener_certificates",
            move |marker, size| request::describe_listener_certificates(arn, marker, Some(size)),
            |b| response::parse_certificates("DescribeListenerCertificates", b),
        ))
        .await
    }

    /// A listener's attributes (`DescribeListenerAttributes`).
    pub async fn ex_describe_listener_attributes(&self, arn: &str) -> Result<Vec<Attribute>> {
        self.call(
            "ex_describe_listener_attributes",
            request::describe_listener_attributes(arn),
            |b| response::parse_attributes("DescribeListenerAttributes", b),
        )
        .await
    }

    /// Sets listener attributes (`ModifyListenerAttributes`).
    pub async fn ex_modify_listener_attributes(
        &self,
        arn: &str,
        attributes: &[Attribute],
    ) -> Result<Vec<Attribute>> {
        self.call(
            "ex_modify_listener_attributes",
            request::modify_listener_attributes(arn, attributes),
            |b| response::parse_attributes("ModifyListenerAttributes", b),
        )
        .await
    }

    /// Creates a rule (`CreateRule`, libcloud's `ex_create_listener_rule`).
    pub async fn ex_create_listener_rule(&self, input: &CreateRuleInput) -> Result<Rule> {
        const A: &str = "CreateRule";
        self.call(
            "ex_create_listener_rule",
            request::create_rule(input),
            |b| single(A, b, response::parse_rules(A, b)?.items),
        )
        .await
    }

    /// Changes a rule (`ModifyRule`).
    pub async fn ex_modify_listener_rule(
        &self,
        arn: &str,
        input: &ModifyRuleInput,
    ) -> Result<Rule> {
        const A: &str = "ModifyRule";
        self.call(
            "ex_modify_listener_rule",
            request::modify_rule(arn, input),
            |b| single(A, b, response::parse_rules(A, b)?.items),
        )
        .await
    }

    /// Deletes a rule (`DeleteRule`).
    pub async fn ex_delete_listener_rule(&self, arn: &str) -> Result<()> {
        self.call("ex_delete_listener_rule", request::delete_rule(arn), |b| {
            response::parse_empty("DeleteRule", b)
        })
        .await
    }

    /// A listener's rules, a page at a time (`DescribeRules`).
    pub fn ex_rules_pages<'a>(&'a self, listener_arn: &'a str) -> Pages<'a, Rule> {
        self.pages(
            "ex_rules_pages",
            move |marker, size| {
                request::describe_rules(Some(listener_arn), NONE, marker, Some(size))
            },
            |b| response::parse_rules("DescribeRules", b),
        )
    }

    /// Every rule of a listener, the default rule last (`DescribeRules`).
    pub async fn ex_list_rules(&self, listener_arn: &str) -> Result<Vec<Rule>> {
        Self::collect(self.ex_rules_pages(listener_arn)).await
    }

    /// One rule by ARN (`DescribeRules`, libcloud's `ex_get_rule`).
    pub async fn ex_get_rule(&self, arn: &str) -> Result<Rule> {
        let params = request::describe_rules(None, &[arn], None, None);
        self.call("ex_get_rule", params, |b| {
            found(
                "rule",
                arn,
                response::parse_rules("DescribeRules", b)?.items,
            )
        })
        .await
    }

    /// Reorders rules (`SetRulePriorities`): (rule ARN, new priority) pairs.
    pub async fn ex_set_rule_priorities(&self, priorities: &[(&str, u32)]) -> Result<Vec<Rule>> {
        self.call(
            "ex_set_rule_priorities",
            request::set_rule_priorities(priorities),
            |b| Ok(response::parse_rules("SetRulePriorities", b)?.items),
        )
        .await
    }
}
