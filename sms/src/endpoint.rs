//! Where a gateway's requests go. The production endpoints are HTTPS; plain
//! HTTP is allowed only to this machine, where the tests' fake gateways listen,
//! so a key secret's signatures and members' numbers never cross a network in
//! the clear.

use reqwest::Url;

use crate::ConfigError;

#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    url: Url,
    host: String,
}

impl Endpoint {
    pub(crate) fn parse(endpoint: &str) -> Result<Self, ConfigError> {
        let bad = |reason: &'static str| ConfigError::BadEndpoint { endpoint: endpoint.to_owned(), reason };
        let url = Url::parse(endpoint.trim()).map_err(|_| bad("is not a URL"))?;
        let host = url.host_str().ok_or_else(|| bad("has no host"))?.to_ascii_lowercase();
        match url.scheme() {
            "https" => {}
            "http" if matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]") => {}
            "http" => return Err(bad("uses plain http to another machine; use https")),
            _ => return Err(bad("must start with https://")),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("must not carry a user name or password"));
        }
        // Both APIs are served at "/", and both signatures cover the path and
        // the query string: anything extra here would be signed and refused.
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(bad("must be only a scheme, a host and an optional port"));
        }
        // The Host header the gateway checks the signature against: the port
        // is in it only when it is not the scheme's default (RFC 9110 §7.2),
        // which is also when `Url::port` reports one.
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        Ok(Endpoint { url, host })
    }

    /// The signed Host header value, e.g. `dysmsapi.aliyuncs.com`.
    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    /// The URL of `/` with an already percent-encoded query string.
    pub(crate) fn url_with_query(&self, query: &str) -> Url {
        let mut url = self.url.clone();
        url.set_query(Some(query).filter(|q| !q.is_empty()));
        url
    }

    pub(crate) fn url(&self) -> &Url {
        &self.url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_production_endpoints_sign_their_bare_host() {
        let endpoint = Endpoint::parse("https://dysmsapi.aliyuncs.com").unwrap();
        assert_eq!(endpoint.host(), "dysmsapi.aliyuncs.com");
        assert_eq!(endpoint.url().as_str(), "https://dysmsapi.aliyuncs.com/");
        assert_eq!(Endpoint::parse("https://sms.tencentcloudapi.com:443/").unwrap().host(), "sms.tencentcloudapi.com");
    }

    #[test]
    fn a_local_fake_gateway_signs_its_port() {
        assert_eq!(Endpoint::parse("http://127.0.0.1:8080").unwrap().host(), "127.0.0.1:8080");
        assert_eq!(Endpoint::parse("http://localhost:9").unwrap().host(), "localhost:9");
    }

    #[test]
    fn plain_http_to_another_machine_is_refused() {
        for endpoint in ["http://dysmsapi.aliyuncs.com", "http://10.0.0.8:80", "ftp://127.0.0.1"] {
            assert!(matches!(Endpoint::parse(endpoint), Err(ConfigError::BadEndpoint { .. })), "{endpoint}");
        }
    }

    #[test]
    fn a_path_query_or_credentials_in_the_endpoint_are_refused() {
        for endpoint in ["https://a.example/sms", "https://a.example/?x=1", "https://u:p@a.example", "not a url"] {
            assert!(matches!(Endpoint::parse(endpoint), Err(ConfigError::BadEndpoint { .. })), "{endpoint}");
        }
    }

    #[test]
    fn the_query_is_attached_as_given() {
        let endpoint = Endpoint::parse("https://dysmsapi.aliyuncs.com").unwrap();
        assert_eq!(
            endpoint
                .url_with_query("SignName=%E5%B7%A5%E4%BC%9A&TemplateParam=%7B%22code%22%3A%22123456%22%7D")
                .as_str(),
            "https://dysmsapi.aliyuncs.com/?SignName=%E5%B7%A5%E4%BC%9A&TemplateParam=%7B%22code%22%3A%22123456%22%7D"
        );
    }
}
