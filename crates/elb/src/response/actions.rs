//! Parsers for every action except `DescribeLoadBalancers`.

use lbcloud_core::{HealthCheck, Result};

use super::shared::{health_check, instance_id, tag};
use crate::model::{
    AccessLog, AccountLimit, AccountLimits, AdditionalAttribute, BalancerAttributes, Cardinality,
    ConnectionDraining, ConnectionSettings, InstanceState, Policy, PolicyAttribute,
    PolicyAttributeTypeDescription, PolicyType, TagDescription,
};
use lbcloud_aws::xml::{Cursor, parse_required_result, parse_result};

/// Checks the answer of an action whose Result is empty: `AddTags`,
/// `CreateAppCookieStickinessPolicy`, `CreateLBCookieStickinessPolicy`,
/// `CreateLoadBalancerListeners`, `CreateLoadBalancerPolicy`,
/// `DeleteLoadBalancer`, `DeleteLoadBalancerListeners`,
/// `DeleteLoadBalancerPolicy`, `RemoveTags`,
/// `SetLoadBalancerListenerSSLCertificate`,
/// `SetLoadBalancerPoliciesForBackendServer`,
/// `SetLoadBalancerPoliciesOfListener`.
///
/// The root must be `<{action}Response>` and the XML well formed; the
/// Result element may be absent or hold anything.
pub fn parse_empty_result(action: &'static str, body: &[u8]) -> Result<()> {
    parse_result(action, body, |_, _| Ok(())).map(drop)
}

/// `CreateLoadBalancer`: the new balancer's DNS name (`None` if AWS sent none).
pub fn parse_create_load_balancer(body: &[u8]) -> Result<Option<String>> {
    let mut dns = None;
    parse_required_result("CreateLoadBalancer", body, |c, name| {
        if name == b"DNSName" {
            dns = c.opt_text()?;
        }
        Ok(())
    })?;
    Ok(dns)
}

/// `ConfigureHealthCheck`: the health check now in place.
///
/// Unlike a listing, a target the core cannot parse is an error here: the
/// caller just sent a valid one, so the answer cannot be right.
pub fn parse_configure_health_check(body: &[u8]) -> Result<HealthCheck> {
    const ACTION: &str = "ConfigureHealthCheck";
    let mut found = None;
    parse_required_result(ACTION, body, |c, name| {
        if name == b"HealthCheck" {
            found = Some(health_check(c)?);
        }
        Ok(())
    })?;
    let raw = found.ok_or_else(|| Cursor::new(ACTION, body).error("no <HealthCheck> element"))?;
    raw.to_health_check().map_err(|e| {
        Cursor::new(ACTION, body).error(format_args!("bad health check target: {}", e.message()))
    })
}

/// Reads the one list `list` of the action's Result.
fn list_result<T>(
    action: &'static str,
    body: &[u8],
    list: &[u8],
    mut item: impl FnMut(&mut Cursor<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    parse_required_result(action, body, |c, name| {
        if name == list {
            out = c.members(&mut item)?;
        }
        Ok(())
    })?;
    Ok(out)
}

/// `RegisterInstancesWithLoadBalancer`: every instance now registered.
pub fn parse_register_instances(body: &[u8]) -> Result<Vec<String>> {
    list_result(
        "RegisterInstancesWithLoadBalancer",
        body,
        b"Instances",
        instance_id,
    )
}

/// `DeregisterInstancesFromLoadBalancer`: the instances still registered.
pub fn parse_deregister_instances(body: &[u8]) -> Result<Vec<String>> {
    list_result(
        "DeregisterInstancesFromLoadBalancer",
        body,
        b"Instances",
        instance_id,
    )
}

/// `EnableAvailabilityZonesForLoadBalancer`: the balancer's zones now.
pub fn parse_enable_availability_zones(body: &[u8]) -> Result<Vec<String>> {
    list_result(
        "EnableAvailabilityZonesForLoadBalancer",
        body,
        b"AvailabilityZones",
        |c| c.text(),
    )
}

/// `DisableAvailabilityZonesForLoadBalancer`: the balancer's zones now.
pub fn parse_disable_availability_zones(body: &[u8]) -> Result<Vec<String>> {
    list_result(
        "DisableAvailabilityZonesForLoadBalancer",
        body,
        b"AvailabilityZones",
        |c| c.text(),
    )
}

/// `AttachLoadBalancerToSubnets`: the balancer's subnets now.
pub fn parse_attach_subnets(body: &[u8]) -> Result<Vec<String>> {
    list_result("AttachLoadBalancerToSubnets", body, b"Subnets", |c| {
        c.text()
    })
}

/// `DetachLoadBalancerFromSubnets`: the balancer's subnets now.
pub fn parse_detach_subnets(body: &[u8]) -> Result<Vec<String>> {
    list_result("DetachLoadBalancerFromSubnets", body, b"Subnets", |c| {
        c.text()
    })
}

/// `ApplySecurityGroupsToLoadBalancer`: the balancer's security groups now.
pub fn parse_apply_security_groups(body: &[u8]) -> Result<Vec<String>> {
    list_result(
        "ApplySecurityGroupsToLoadBalancer",
        body,
        b"SecurityGroups",
        |c| c.text(),
    )
}

/// `DescribeInstanceHealth`: the state of each instance.
pub fn parse_describe_instance_health(body: &[u8]) -> Result<Vec<InstanceState>> {
    list_result("DescribeInstanceHealth", body, b"InstanceStates", |c| {
        let mut s = InstanceState::default();
        c.for_each_child(|c, name| {
            match name {
                b"InstanceId" => s.instance_id = c.text()?,
                b"State" => s.state = c.text()?,
                b"ReasonCode" => s.reason_code = c.opt_text()?,
                b"Description" => s.description = c.opt_text()?,
                _ => {}
            }
            Ok(())
        })?;
        if s.instance_id.is_empty() {
            return Err(c.error("an InstanceState lacks InstanceId"));
        }
        Ok(s)
    })
}

/// `DescribeTags`: the tags of each balancer asked for.
pub fn parse_describe_tags(body: &[u8]) -> Result<Vec<TagDescription>> {
    list_result("DescribeTags", body, b"TagDescriptions", |c| {
        let mut d = TagDescription::default();
        c.for_each_child(|c, name| {
            match name {
                b"LoadBalancerName" => d.load_balancer_name = c.text()?,
                b"Tags" => d.tags = c.members(tag)?,
                _ => {}
            }
            Ok(())
        })?;
        Ok(d)
    })
}

/// `DescribeAccountLimits`: one page of limits.
pub fn parse_describe_account_limits(body: &[u8]) -> Result<AccountLimits> {
    let mut out = AccountLimits::default();
    parse_required_result("DescribeAccountLimits", body, |c, name| {
        match name {
            b"Limits" => {
                out.limits = c.members(|c| {
                    let mut l = AccountLimit::default();
                    c.for_each_child(|c, name| {
                        match name {
                            b"Name" => l.name = c.text()?,
                            b"Max" => l.max = c.text()?,
                            _ => {}
                        }
                        Ok(())
                    })?;
                    Ok(l)
                })?;
            }
            b"NextMarker" => out.next_marker = c.opt_text()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// `DescribeLoadBalancerAttributes`: the balancer's attributes.
pub fn parse_describe_load_balancer_attributes(body: &[u8]) -> Result<BalancerAttributes> {
    attributes_result("DescribeLoadBalancerAttributes", body)
}

/// `ModifyLoadBalancerAttributes`: the attributes as modified.
pub fn parse_modify_load_balancer_attributes(body: &[u8]) -> Result<BalancerAttributes> {
    attributes_result("ModifyLoadBalancerAttributes", body)
}

fn attributes_result(action: &'static str, body: &[u8]) -> Result<BalancerAttributes> {
    let mut out = BalancerAttributes::default();
    parse_required_result(action, body, |c, name| {
        if name == b"LoadBalancerAttributes" {
            out = attributes(c)?;
        }
        Ok(())
    })?;
    Ok(out)
}

fn attributes(c: &mut Cursor<'_>) -> Result<BalancerAttributes> {
    let mut a = BalancerAttributes::default();
    c.for_each_child(|c, name| {
        match name {
            b"CrossZoneLoadBalancing" => {
                let mut enabled = None;
                c.for_each_child(|c, name| {
                    if name == b"Enabled" {
                        enabled = Some(c.bool("Enabled")?);
                    }
                    Ok(())
                })?;
                a.cross_zone_load_balancing = enabled;
            }
            b"ConnectionDraining" => {
                let mut d = ConnectionDraining::default();
                c.for_each_child(|c, name| {
                    match name {
                        b"Enabled" => d.enabled = c.bool("Enabled")?,
                        b"Timeout" => d.timeout = Some(c.parse("Timeout")?),
                        _ => {}
                    }
                    Ok(())
                })?;
                a.connection_draining = Some(d);
            }
            b"ConnectionSettings" => {
                let mut idle = None;
                c.for_each_child(|c, name| {
                    if name == b"IdleTimeout" {
                        idle = Some(c.parse("IdleTimeout")?);
                    }
                    Ok(())
                })?;
                let idle_timeout =
                    idle.ok_or_else(|| c.error("ConnectionSettings lacks IdleTimeout"))?;
                a.connection_settings = Some(ConnectionSettings { idle_timeout });
            }
            b"AccessLog" => {
                let mut l = AccessLog::default();
                c.for_each_child(|c, name| {
                    match name {
                        b"Enabled" => l.enabled = c.bool("Enabled")?,
                        b"S3BucketName" => l.s3_bucket_name = c.opt_text()?,
                        b"S3BucketPrefix" => l.s3_bucket_prefix = c.opt_text()?,
                        b"EmitInterval" => l.emit_interval = Some(c.parse("EmitInterval")?),
                        _ => {}
                    }
                    Ok(())
                })?;
                a.access_log = Some(l);
            }
            b"AdditionalAttributes" => {
                a.additional_attributes = c.members(|c| {
                    let mut kv = AdditionalAttribute::default();
                    c.for_each_child(|c, name| {
                        match name {
                            b"Key" => kv.key = c.text()?,
                            b"Value" => kv.value = c.text()?,
                            _ => {}
                        }
                        Ok(())
                    })?;
                    Ok(kv)
                })?;
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(a)
}

/// `DescribeLoadBalancerPolicies`: each policy with its type and attributes.
pub fn parse_describe_load_balancer_policies(body: &[u8]) -> Result<Vec<Policy>> {
    list_result(
        "DescribeLoadBalancerPolicies",
        body,
        b"PolicyDescriptions",
        |c| {
            let mut p = Policy::default();
            c.for_each_child(|c, name| {
                match name {
                    b"PolicyName" => p.name = c.text()?,
                    b"PolicyTypeName" => p.type_name = c.text()?,
                    b"PolicyAttributeDescriptions" => {
                        p.attributes = c.members(|c| {
                            let mut a = PolicyAttribute::default();
                            c.for_each_child(|c, name| {
                                match name {
                                    b"AttributeName" => a.name = c.text()?,
                                    b"AttributeValue" => a.value = c.text()?,
                                    _ => {}
                                }
                                Ok(())
                            })?;
                            Ok(a)
                        })?;
                    }
                    _ => {}
                }
                Ok(())
            })?;
            if p.name.is_empty() {
                return Err(c.error("a PolicyDescription lacks PolicyName"));
            }
            Ok(p)
        },
    )
}

/// `DescribeLoadBalancerPolicyTypes`: each type with its attribute descriptions.
pub fn parse_describe_load_balancer_policy_types(body: &[u8]) -> Result<Vec<PolicyType>> {
    list_result(
        "DescribeLoadBalancerPolicyTypes",
        body,
        b"PolicyTypeDescriptions",
        |c| {
            let mut t = PolicyType::default();
            c.for_each_child(|c, name| {
                match name {
                    b"PolicyTypeName" => t.name = c.text()?,
                    b"Description" => t.description = c.opt_text()?,
                    b"PolicyAttributeTypeDescriptions" => {
                        t.attributes = c.members(attribute_type)?;
                    }
                    _ => {}
                }
                Ok(())
            })?;
            if t.name.is_empty() {
                return Err(c.error("a PolicyTypeDescription lacks PolicyTypeName"));
            }
            Ok(t)
        },
    )
}

fn attribute_type(c: &mut Cursor<'_>) -> Result<PolicyAttributeTypeDescription> {
    let mut a = PolicyAttributeTypeDescription {
        name: String::new(),
        type_name: String::new(),
        default_value: None,
        cardinality: None,
        description: None,
    };
    c.for_each_child(|c, name| {
        match name {
            b"AttributeName" => a.name = c.text()?,
            b"AttributeType" => a.type_name = c.text()?,
            b"DefaultValue" => a.default_value = c.opt_text()?,
            b"Cardinality" => a.cardinality = c.opt_text()?.map(Cardinality::from_aws),
            b"Description" => a.description = c.opt_text()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(a)
}
