//! Lists of client addresses in the configuration: who may read /metrics,
//! which proxies' `X-Forwarded-For` is believed.

use std::net::IpAddr;

/// Whether `ip` is one of `from` (addresses, or networks as `a.b.c.d/n`).
pub fn listed(from: &[String], ip: IpAddr) -> bool {
    from.iter().any(|entry| match entry.split_once('/') {
        None => entry.parse::<IpAddr>().is_ok_and(|a| a == ip),
        Some((network, bits)) => match (network.parse::<IpAddr>(), bits.parse::<u32>(), ip) {
            (Ok(IpAddr::V4(n)), Ok(bits @ 0..=32), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
                u32::from(n) & mask == u32::from(ip) & mask
            }
            (Ok(IpAddr::V6(n)), Ok(bits @ 0..=128), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
                u128::from(n) & mask == u128::from(ip) & mask
            }
            _ => false,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_allowed_from_listed_addresses_and_networks_only() {
        let from = vec!["127.0.0.1".to_owned(), "10.1.0.0/16".to_owned(), "::1".to_owned()];
        assert!(listed(&from, "127.0.0.1".parse().unwrap()));
        assert!(listed(&from, "10.1.200.3".parse().unwrap()));
        assert!(listed(&from, "::1".parse().unwrap()));
        assert!(!listed(&from, "10.2.0.1".parse().unwrap()));
        assert!(!listed(&from, "203.0.113.9".parse().unwrap()));
        assert!(!listed(&["0.0.0.0/33".to_owned()], "1.2.3.4".parse().unwrap()), "a bad prefix allows nobody");
    }
}
