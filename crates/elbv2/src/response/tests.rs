//! Parser tests on XML written from the API reference: unknown elements
//! and any order are read, prefixes ignored, required fields enforced, and
//! hostile bodies are errors, never panics.

use lbcloud_core::ErrorKind;

use super::*;

fn wrap(action: &str, result: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\"?><{action}Response xmlns=\"x\"><{action}Result>{result}</{action}Result>\
         <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{action}Response>"
    )
    .into_bytes()
}

#[test]
fn unknown_elements_any_order_and_the_next_marker_are_read() {
    let body = wrap(
        "DescribeTargetGroups",
        "<NextMarker>m-2</NextMarker><TargetGroups><member><FutureField><x>1</x></FutureField>\
         <Port>80</Port><TargetGroupArn>arn:tg</TargetGroupArn><Protocol>GENEVE_V2</Protocol>\
         <TargetType>instance</TargetType></member></TargetGroups>",
    );
    let page = parse_target_groups("DescribeTargetGroups", &body).unwrap();
    assert_eq!(page.next_marker.as_deref(), Some("m-2"));
    let tg = &page.items[0];
    assert_eq!(tg.arn, "arn:tg");
    assert_eq!(tg.port, Some(80));
    // A protocol this version does not know is kept, not an error.
    assert_eq!(tg.protocol, Some(Elbv2Protocol::Other("GENEVE_V2".into())));
    assert_eq!(tg.target_type, Some(TargetType::Instance));
}

#[test]
fn every_health_state_and_reason_is_read() {
    for state in TargetHealthState::ALL {
        for reason in TargetHealthReason::ALL {
            let body = wrap(
                "DescribeTargetHealth",
                &format!(
                    "<TargetHealthDescriptions><member><Target><Id>i-1</Id></Target><TargetHealth>\
                     <State>{state}</State><Reason>{reason}</Reason></TargetHealth></member>\
                     </TargetHealthDescriptions>"
                ),
            );
            let got = parse_target_health(&body).unwrap();
            let h = got[0].health.as_ref().unwrap();
            assert_eq!(&h.state, state);
            assert_eq!(h.reason.as_ref(), Some(reason));
            assert!(h.state.is_known() && reason.is_known());
        }
    }
}

#[test]
fn actions_and_conditions_of_every_kind_are_read() {
    let body = wrap(
        "DescribeRules",
        "<Rules><member><RuleArn>arn:r</RuleArn><Priority>default</Priority><IsDefault>true</IsDefault>\
         <Conditions><member><Field>query-string</Field><QueryStringConfig><Values><member>\
         <Key>v</Key><Value>2</Value></member><member><Value>*beta*</Value></member></Values>\
         </QueryStringConfig></member><member><Field>source-ip</Field><SourceIpConfig><Values>\
         <member>10.0.0.0/8</member></Values></SourceIpConfig></member><member>\
         <Field>http-request-method</Field><HttpRequestMethodConfig><Values><member>GET</member>\
         </Values></HttpRequestMethodConfig></member></Conditions>\
         <Actions><member><Type>authenticate-oidc</Type><Order>1</Order><AuthenticateOidcConfig>\
         <Issuer>https://idp</Issuer><AuthorizationEndpoint>https://idp/a</AuthorizationEndpoint>\
         <TokenEndpoint>https://idp/t</TokenEndpoint><UserInfoEndpoint>https://idp/u</UserInfoEndpoint>\
         <ClientId>c</ClientId><AuthenticationRequestExtraParams><entry><key>prompt</key>\
         <value>login</value></entry></AuthenticationRequestExtraParams></AuthenticateOidcConfig>\
         </member><member><Type>redirect</Type><Order>2</Order><RedirectConfig><Protocol>HTTPS</Protocol>\
         <Port>443</Port><Host>#{host}</Host><Path>/#{path}</Path><Query>#{query}</Query>\
         <StatusCode>HTTP_302</StatusCode></RedirectConfig></member></Actions>\
         <Transforms><member><Type>url-rewrite</Type><UrlRewriteConfig><Rewrites><member>\
         <Regex>^/old/(.*)$</Regex><Replace>/new/$1</Replace></member></Rewrites></UrlRewriteConfig>\
         </member></Transforms></member></Rules>",
    );
    let rule = &parse_rules("DescribeRules", &body).unwrap().items[0];
    assert!(rule.is_default);
    assert_eq!(rule.priority, "default");
    let q = rule.conditions[0].query_string.as_ref().unwrap();
    assert_eq!(q[0].key.as_deref(), Some("v"));
    assert_eq!(q[1].key, None);
    assert_eq!(
        rule.conditions[1].source_ip.as_deref(),
        Some(&["10.0.0.0/8".to_owned()][..])
    );
    assert_eq!(
        rule.conditions[2].http_request_method.as_deref(),
        Some(&["GET".to_owned()][..])
    );
    let oidc = rule.actions[0].authenticate_oidc.as_ref().unwrap();
    assert_eq!(oidc.authentication_request_extra_params["prompt"], "login");
    assert_eq!(oidc.client_secret, None);
    let r = rule.actions[1].redirect.as_ref().unwrap();
    assert_eq!(r.status_code, RedirectStatusCode::Http302);
    assert_eq!(r.host.as_deref(), Some("#{host}"));
    assert_eq!(rule.transforms[0].url_rewrites[0].replace, "/new/$1");
}

#[test]
fn required_fields_are_enforced() {
    let cases: [(&str, &str); 5] = [
        (
            "DescribeLoadBalancers",
            "<LoadBalancers><member><LoadBalancerName>x</LoadBalancerName></member></LoadBalancers>",
        ),
        (
            "DescribeListeners",
            "<Listeners><member><Port>80</Port></member></Listeners>",
        ),
        (
            "DescribeRules",
            "<Rules><member><Actions><member><Order>1</Order></member></Actions><RuleArn>a</RuleArn></member></Rules>",
        ),
        (
            "DescribeTrustStoreRevocations",
            "<TrustStoreRevocations><member><TrustStoreArn>a</TrustStoreArn></member></TrustStoreRevocations>",
        ),
        (
            "DescribeTargetGroups",
            "<TargetGroups><member><Port>eighty</Port><TargetGroupArn>a</TargetGroupArn></member></TargetGroups>",
        ),
    ];
    for (action, result) in cases {
        let body = wrap(action, result);
        let err = match action {
            "DescribeLoadBalancers" => parse_load_balancers(action, &body).map(drop),
            "DescribeListeners" => parse_listeners(action, &body).map(drop),
            "DescribeRules" => parse_rules(action, &body).map(drop),
            "DescribeTrustStoreRevocations" => parse_revocations(action, &body).map(drop),
            _ => parse_target_groups(action, &body).map(drop),
        }
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{action}: {err}");
    }
    // Without a Result element the answer cannot be what was asked.
    let err = parse_listeners("CreateListener", b"<CreateListenerResponse/>").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse);
    // An empty action answers with or without its Result element.
    parse_empty(
        "DeleteRule",
        b"<DeleteRuleResponse><ResponseMetadata/></DeleteRuleResponse>",
    )
    .unwrap();
    parse_empty("DeleteRule", &wrap("DeleteRule", "")).unwrap();
}

#[test]
fn hostile_bodies_are_errors_never_panics() {
    let bodies: [&[u8]; 7] = [
        b"",
        b"<DescribeLoadBalancersResponse>",
        b"<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><LoadBalancers><member>\
          <LoadBalancerArn>a</LoadBalancerArn></x></member></LoadBalancers>",
        b"\x00\xff\xfe",
        b"<html>oops</html>",
        b"<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><LoadBalancers><member>\
          <LoadBalancerArn>a</LoadBalancerArn><CreatedTime>yesterday</CreatedTime></member>\
          </LoadBalancers></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>",
        b"<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><LoadBalancers><member>\
          <LoadBalancerArn>&bogus;</LoadBalancerArn></member></LoadBalancers>\
          </DescribeLoadBalancersResult></DescribeLoadBalancersResponse>",
    ];
    for body in bodies {
        let err = parse_load_balancers("DescribeLoadBalancers", body).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{body:?}");
    }
    // Every parser survives every prefix of a real answer.
    let full = wrap(
        "DescribeTargetHealth",
        "<TargetHealthDescriptions><member><Target><Id>i-1</Id>\
        <Port>80</Port></Target><TargetHealth><State>healthy</State></TargetHealth></member>\
        </TargetHealthDescriptions>",
    );
    for n in 0..full.len() {
        let prefix = &full[..n];
        let _ = parse_target_health(prefix);
        let _ = parse_load_balancers("DescribeLoadBalancers", prefix);
        let _ = parse_capacity_reservation("DescribeCapacityReservation", prefix);
    }
    assert!(parse_target_health(&full).is_ok());
}
