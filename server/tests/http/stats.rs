//! 注册认证统计 and 公示 on the demo union, against counts this test works
//! out itself from the demo files (by walking each unit's ancestors, not the
//! server's tree sum). SQLite and PostgreSQL.

use std::collections::HashMap;

use crate::support::{Person, RunningServer};
use store::testing::TestDb;

const UNITS: &str = include_str!("../../../demo/units.csv");
const ROSTER: &str = include_str!("../../../demo/roster.csv");
const MEMBERS: &str = include_str!("../../../demo/members.csv");

struct Expected {
    name: HashMap<String, String>,
    level: HashMap<String, String>,
    parent: HashMap<String, String>,
    /// code → (roster, registered, certified), each with the subtree.
    counts: HashMap<String, (i64, i64, i64)>,
}

impl Expected {
    fn from_demo_files() -> Self {
        let (mut name, mut level, mut parent) = (HashMap::new(), HashMap::new(), HashMap::new());
        for line in UNITS.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            name.insert(f[0].to_owned(), f[2].to_owned());
            level.insert(f[0].to_owned(), f[3].to_owned());
            if !f[1].is_empty() {
                parent.insert(f[0].to_owned(), f[1].to_owned());
            }
        }
        let mut counts: HashMap<String, (i64, i64, i64)> = name.keys().map(|c| (c.clone(), (0, 0, 0))).collect();
        let mut add = |unit: &str, what: usize| {
            let mut at = Some(unit.to_owned());
            while let Some(code) = at {
                let c = counts.get_mut(&code).unwrap();
                match what {
                    0 => c.0 += 1,
                    1 => c.1 += 1,
                    _ => c.2 += 1,
                }
                at = parent.get(&code).cloned();
            }
        };
        let mut roster_unit = HashMap::new();
        for line in ROSTER.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            roster_unit.insert(f[5].to_owned(), f[0].to_owned());
            add(f[0], 0);
        }
        for line in MEMBERS.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            // A certified member belongs to their roster entry's unit.
            let unit = if f[3].is_empty() { f[2] } else { &roster_unit[f[3]] };
            add(unit, 1);
            if !f[3].is_empty() {
                add(unit, 2);
            }
        }
        Self { name, level, parent, counts }
    }

    fn rate(&self, code: &str) -> String {
        let (roster, _, certified) = self.counts[code];
        if roster == 0 {
            return "—".into();
        }
        let per_mille = certified * 1000 / roster;
        format!("{}.{}%", per_mille / 10, per_mille % 10)
    }

    fn children(&self, code: &str) -> Vec<String> {
        let mut children: Vec<String> =
            self.parent.iter().filter(|(_, p)| *p == code).map(|(c, _)| c.clone()).collect();
        children.sort();
        children
    }
}

/// The HTML without Leptos's hydration markers between adjacent nodes.
fn plain(html: &str) -> String {
    html.replace("<!>", "")
}

on_both_engines_with_db!(
    @more the_dashboard_csv_and_public_ranking_show_the_demo_unions_counts,
);

async fn the_dashboard_csv_and_public_ranking_show_the_demo_unions_counts(db: TestDb) {
    let server = RunningServer::start(db.url(), &[("GONGHUI_DEMO_PEOPLE", "true")]);
    let expected = Expected::from_demo_files();
    let admin = Person::new(&server);
    let (status, html) = admin
        .post("/login", "/api/auth/login", &[("phone", "13800000000"), ("password", server::demo::DEMO_PASSWORD)])
        .await;
    assert_eq!(status, 303, "{html}");

    // The dashboard of 济南市总工会: its total, then each county below it.
    let (status, html) = admin.get("/admin/stats?unit=370100").await;
    assert_eq!(status, 200, "{html}");
    let html = plain(&html);
    let (roster, registered, certified) = expected.counts["370100"];
    for figure in [roster.to_string(), registered.to_string(), certified.to_string(), expected.rate("370100")] {
        assert!(html.contains(&format!("<strong>{figure}</strong>")), "total {figure} in {html}");
    }
    for child in expected.children("370100") {
        let (r, g, c) = expected.counts[&child];
        let row = format!(
            r#"<a href="/admin/stats?unit={child}">{}</a></th><td>{r}</td><td>{g}</td><td>{c}</td><td>{}</td>"#,
            expected.name[&child],
            expected.rate(&child)
        );
        assert!(html.contains(&row), "{row} in {html}");
    }

    // The CSV of the province: every city, figures as above.
    let response = admin.http.get(server.url("/admin/stats.csv?unit=37")).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = response.text().await.unwrap();
    let csv = csv.strip_prefix('\u{feff}').expect("a BOM for Excel");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("单位代码,单位名称,名册人数,已注册,已认证,认证率"));
    let mut shown: Vec<String> = lines.map(str::to_owned).collect();
    let mut want: Vec<String> = std::iter::once("37".to_owned())
        .chain(expected.children("37"))
        .map(|code| {
            let (r, g, c) = expected.counts[&code];
            format!("{code},{},{r},{g},{c},{}", expected.name[&code], expected.rate(&code))
        })
        .collect();
    shown.sort();
    want.sort();
    assert_eq!(shown, want);

    // 公示 of the counties, ranked by rate (ties by code), for anyone.
    let visitor = Person::new(&server);
    let (status, html) = visitor.get("/gongshi?level=county").await;
    assert_eq!(status, 200);
    let html = plain(&html);
    let mut counties: Vec<&String> = expected.level.iter().filter(|(_, l)| *l == "county").map(|(c, _)| c).collect();
    let key = |code: &str| {
        let (roster, _, certified) = expected.counts[code];
        if roster == 0 {
            -1
        } else {
            certified * 1000 / roster
        }
    };
    counties.sort_by(|a, b| key(b).cmp(&key(a)).then(a.cmp(b)));
    let mut last = 0;
    for (rank, code) in counties.iter().enumerate() {
        let (r, _, c) = expected.counts[*code];
        let row = format!(
            r#"<tr><td>{}</td><th scope="row">{}</th><td>{r}</td><td>{c}</td><td>{}</td></tr>"#,
            rank + 1,
            expected.name[*code],
            expected.rate(code)
        );
        let at = html.find(&row).unwrap_or_else(|| panic!("{row} in {html}"));
        assert!(at > last, "{} ranked in order", expected.name[*code]);
        last = at;
    }

    // An official of 历下区总工会 sees their district, not the city above it.
    let official = Person::new(&server);
    official.register("13600000001", "历下区管理员", "37010201").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13600000001"), ("unit", "370102")]).await;
    assert_eq!(official.get("/admin/stats?unit=370100").await.0, 403);
    let (status, html) = official.get("/admin/stats").await;
    assert_eq!(status, 200);
    assert!(plain(&html).contains(&format!("<strong>{}</strong>", expected.name["370102"])));
    assert_eq!(official.http.get(server.url("/admin/stats.csv?unit=370100")).send().await.unwrap().status(), 403);
    assert_eq!(visitor.get("/admin/stats").await.0, 401);
}
