//! The demo union for `make run`: the unit tree, and — when asked for with
//! `GONGHUI_DEMO_PEOPLE` — its roster, members (some certified) and a demo
//! super admin, so the statistics, 公示 and review pages have something to
//! show. Every person in it is synthetic (shared/fixtures).

use anyhow::Context;
use store::protect::DataKey;
use store::Store;

use app::spreadsheet as units_csv;

/// The demo union (山东省总工会 with 70 units below it), from
/// `demo/units.csv`, which has the shape of `shared/fixtures/units.csv`.
pub const DEMO_UNITS_CSV: &[u8] = include_bytes!("../../demo/units.csv");
/// 200 roster members of the demo union.
pub const DEMO_ROSTER_CSV: &[u8] = include_bytes!("../../demo/roster.csv");
/// Registered demo members: `phone,name,unit_code,certify_with_id_number,role`.
pub const DEMO_MEMBERS_CSV: &[u8] = include_bytes!("../../demo/members.csv");
/// The demo campaign's 30 candidates: `number,name,unit_code,title,story`.
pub const DEMO_CAMPAIGN_CSV: &[u8] = include_bytes!("../../demo/campaign.csv");
/// The demo campaign's address: `/v/qilu-gongjiang-2026`.
pub const DEMO_CAMPAIGN_SLUG: &str = "qilu-gongjiang-2026";
/// Every demo member's password (development data only; README says so).
pub const DEMO_PASSWORD: &str = "gonghui-demo-2026";

/// Loads the demo union into a database that has no units yet; leaves any
/// other database alone. Returns whether it loaded.
pub async fn load_if_empty(store: &Store, people: Option<&DataKey>) -> anyhow::Result<bool> {
    if store.unit_count().await? > 0 {
        return Ok(false);
    }
    let tree = units_csv::read_units_file(DEMO_UNITS_CSV)?;
    let summary = store.import_units(&tree).await?;
    tracing::info!(units = summary.inserted, "loaded the demo union");
    load_campaign(store).await?;
    if let Some(key) = people {
        load_people(store, key).await?;
    }
    Ok(true)
}

async fn load_people(store: &Store, key: &DataKey) -> anyhow::Result<()> {
    let now = app::clock::now();
    let rows = units_csv::read_roster_file(DEMO_ROSTER_CSV)?;
    let (entries, problems) = domain::check_roster(&rows, app::clock::today_in_shanghai());
    anyhow::ensure!(problems.is_empty(), "demo roster: {problems:?}");
    store.import_roster(&entries, key, &store::Reach::Everything, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    // One hash for everyone: they share the demo password.
    let password = domain::Password::parse(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = app::accounts::service::hash_password(password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let members =
        units_csv::read_rows(DEMO_MEMBERS_CSV, ["phone", "name", "unit_code", "certify_with_id_number", "role"])?;
    let parse = |e: &dyn std::fmt::Display| anyhow::anyhow!("demo/members.csv: {e}");
    for (_, [phone, name, unit, id_number, role]) in members {
        let phone = domain::Phone::parse(&phone).map_err(|e| parse(&e))?;
        let name = domain::MemberName::parse(&name).map_err(|e| parse(&e))?;
        let unit = domain::UnitCode::parse(&unit).map_err(|e| parse(&e))?;
        let id = store.insert_member(&phone, &name, &unit, &hash, now).await.map_err(|e| parse(&e))?;
        if !id_number.is_empty() {
            let id_number =
                domain::IdNumber::parse(&id_number, app::clock::today_in_shanghai()).map_err(|e| parse(&e))?;
            let entry =
                store.roster_entry_by_id_number(key, &id_number).await?.ok_or_else(|| parse(&"not on the roster"))?;
            store.certify_member(id, entry.entry_id, now).await.map_err(|e| parse(&e))?;
        }
        if role == "super_admin" {
            store.make_super_admin(&phone).await?;
        }
    }
    tracing::info!("loaded the demo roster and members");
    load_demo_app(store, now).await?;
    load_newsroom(store, key).await
}

/// A registered app for trying the webview bundle (docs/EMBED.md §7): its
/// origin is where `node end2end/embed-host.mjs --port 8088` serves
/// target/embed, so the bundle there may call this server. Its public key's
/// private half was thrown away: members sign in with their password there;
/// a real app registers its own key on /admin/apps.
async fn load_demo_app(store: &Store, now: i64) -> anyhow::Result<()> {
    let admin = domain::Phone::parse("13800000000").map_err(|e| anyhow::anyhow!("{e}"))?;
    let Some(admin) = store.credentials_by_phone(&admin).await? else { return Ok(()) };
    let origins = "http://127.0.0.1:8088\nhttp://localhost:8088";
    let key = "6r0JqXFGPUgeiCGITIApPMbPzoIhU25oaDj3qe2oGWo=";
    match store.register_host_app(admin.member.id, "demo-webview", "演示 App（make embed）", origins, key, now).await
    {
        Ok(_) | Err(store::RegisterAppError::CodeTaken) => Ok(()),
        Err(store::RegisterAppError::Store(e)) => Err(e.into()),
    }
}

/// A living newsroom desk: correspondents approved and waiting, the three
/// reviewers of the province (the demo admin takes 终审), and stories in
/// every state — one waiting for the demo admin's 终审.
async fn load_newsroom(store: &Store, key: &DataKey) -> anyhow::Result<()> {
    use store::{Decision, NewStory, NewsroomRole};
    let now = app::clock::now();
    let member = |phone: &'static str| async move {
        let phone = domain::Phone::parse(phone).map_err(|e| anyhow::anyhow!("{e}"))?;
        let found = store.credentials_by_phone(&phone).await?.ok_or_else(|| anyhow::anyhow!("demo member {phone}"))?;
        anyhow::Ok(found.member.id)
    };
    let admin = store.actor(member("13800000000").await?).await?;
    // (phone, name, gender, birth month, ID number, approve?)
    let correspondents = [
        ("13856081167", "袁斌", "女", "1961-04", "37010219610422464X", true),
        ("18311150634", "苏鹏", "女", "2004-06", "370211200406249624", true),
        ("13405840948", "冯桂东", "女", "1963-05", "370103196305270083", false),
    ];
    for (phone, name, gender, birth_month, id_number, approve) in correspondents {
        let id_number = domain::IdNumber::parse(id_number, app::clock::today_in_shanghai())
            .map_err(|e| anyhow::anyhow!("demo correspondent {name}: {e}"))?;
        let application = store::NewCorrespondent {
            member: member(phone).await?,
            name,
            gender,
            birth_month,
            education: "本科",
            union_post: "宣传委员",
            job_title: "",
            phone,
            email: "news@example.com",
            id_number: &id_number,
            interests: "摄影、写作",
            channels: ["", "本单位工会", "", "", "", "", ""],
            intro: "每月编发一期工会简报。",
        };
        let id = store.apply_correspondent(&application, key, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        if approve {
            store.decide_correspondent(&admin, id, true, "", now).await?;
        }
    }
    // 三审 of the province: 刘敏 初审, 武晓 复审, the demo admin 终审.
    let reviewers = [member("19009883727").await?, member("19220638116").await?, admin.member_id];
    for (reviewer, role) in reviewers.iter().zip([NewsroomRole::Editor, NewsroomRole::Second, NewsroomRole::Final]) {
        store.grant_newsroom_role(&admin, *reviewer, "37", role, now).await?;
    }
    // 稿酬 of the province: 50 yuan for a story adopted by its own union's
    // desk, 100 by a desk above, 200 by an outside medium (news; 典型 more).
    for (kind, level, fen) in [
        ("news", store::AdoptionLevel::Own, 5_000),
        ("news", store::AdoptionLevel::Parent, 10_000),
        ("news", store::AdoptionLevel::Outside, 20_000),
        ("model", store::AdoptionLevel::Own, 8_000),
    ] {
        store.set_payment_rate(&admin, "37", kind, level, fen, now).await?;
    }
    let deadline = domain::CivilDate::in_shanghai(now + 20 * 86_400).iso();
    store
        .create_story_call(
            &admin,
            "37",
            "冬季送温暖一线故事",
            "讲述各级工会走访慰问困难职工的故事，附现场照片。",
            &deadline,
            &[],
            now,
        )
        .await?;
    let author = member("13856081167").await?;
    /// What happens after the approvals: nothing (it waits), or a decision with its comment.
    type Then = Option<(Decision, &'static str)>;
    // (title, body, approvals, then)
    let stories: [(&str, &str, usize, Then); 6] = [
        (
            "供电公司工会开展“安康杯”知识竞赛",
            "11 月 28 日，历下区供电公司工会举办“安康杯”安全知识竞赛，12 支队伍参赛。",
            0,
            None,
        ),
        ("一线班组长讲述节能降耗新办法", "供电公司工会组织班组长交流会，分享节能降耗的 **五个小办法**。", 2, None),
        (
            "冬季送温暖走访困难职工",
            "工会走访慰问困难职工 30 户，送去米面油和慰问金。",
            1,
            Some((Decision::Return, "请补充走访的时间和带队人员")),
        ),
        ("劳模工作室带徒十年", "市级劳模王师傅的工作室十年带出徒弟 46 人。", 3, None),
        ("职工书屋新添图书两千册", "职工书屋新添图书两千册，开放时间延长到晚上八点。", 0, Some((Decision::Hold, ""))),
        ("会议通知转发", "转发上级会议通知。", 0, Some((Decision::Reject, "会议通知不属于新闻稿件，请报送活动报道"))),
    ];
    for (title, body, approvals, then) in stories {
        let body_html = app::newsroom::service::render_markdown(body);
        let draft = NewStory {
            desk_unit_code: "37010202",
            author,
            title,
            body_md: body,
            body_html: &body_html,
            excerpt: body,
            kind: "news",
            event_date: &app::clock::date_time_in_shanghai(now - 86_400)[..10],
            outward: true,
            call: None,
            assets: &[],
        };
        let id = store.insert_story_draft(&draft, now).await?.expect("a draft without assets is always saved");
        store.submit_story(id, 3, false, now).await?;
        for (step, reviewer) in reviewers.iter().enumerate().take(approvals) {
            store
                .decide_story(id, 1, step as i64 + 1, *reviewer, Decision::Approve, "", now)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        if let Some((decision, comment)) = then {
            let step = approvals as i64 + 1;
            store
                .decide_story(id, 1, step, reviewers[approvals], decision, comment, now)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        if approvals == 3 {
            // Adopted: an outside paper took it too (外媒采用, 稿酬 at the outside rate).
            store.record_outside_adoption(reviewers[0], id, "大众日报", now).await?;
        }
    }
    tracing::info!("loaded the demo newsroom");
    Ok(())
}

/// A 齐鲁工匠-style campaign of the province union, in its voting phase for
/// the next 30 days from the first start: any registered member may vote,
/// 10 votes a day, at most 2 a day for one candidate.
async fn load_campaign(store: &Store) -> anyhow::Result<()> {
    use domain::campaign::{Schedule, VoterRule};
    const DAY: i64 = 86_400;
    let now = app::clock::now();
    let schedule = Schedule::new(now - 20 * DAY, now - 10 * DAY, now - DAY, now + 30 * DAY, now + 40 * DAY)
        .ok_or_else(|| anyhow::anyhow!("demo schedule"))?;
    let id = store
        .insert_campaign(
            &store::NewCampaign {
                slug: DEMO_CAMPAIGN_SLUG,
                unit_code: "37",
                title: "2026年“齐鲁工匠”评选网络投票",
                description: "“齐鲁工匠”评选旨在表彰扎根一线、技艺精湛、勇于创新的优秀职工。网络投票结果将与专家评审结果共同作为评选依据。",
                schedule,
                voter_rule: VoterRule::Registered,
                votes_per_day: 10,
                votes_per_candidate: 2,
                expert_weight_pct: 30,
                created_by: None,
                works: false,
            },
            now,
        )
        .await?;
    let rows = units_csv::read_rows(DEMO_CAMPAIGN_CSV, ["number", "name", "unit_code", "title", "story"])?;
    let stories: Vec<String> =
        rows.iter().map(|(_, r)| app::voting::service::sanitize_story(&format!("<p>{}</p>", r[4]))).collect();
    let mut candidates = Vec::with_capacity(rows.len());
    for ((_, [number, name, unit, title, _]), story) in rows.iter().zip(&stories) {
        candidates.push(store::NewCandidate {
            number: number.parse().map_err(|_| anyhow::anyhow!("demo candidate number {number}"))?,
            name,
            unit_code: unit,
            title,
            story_html: story,
        });
    }
    store.insert_candidates(id, &candidates, now).await?;
    Ok(())
}

/// The slug of the demo photo contest (网络展).
pub const DEMO_CONTEST_SLUG: &str = "sheying-2026";

/// 职工摄影作品网络展: a works contest in its voting phase, six approved
/// entries with their pictures and gallery thumbnails (with the demo people:
/// its entries are theirs).
async fn load_contest(store: &Store) -> anyhow::Result<()> {
    use domain::campaign::{Schedule, VoterRule};
    const DAY: i64 = 86_400;
    let now = app::clock::now();
    let schedule = Schedule::new(now - 20 * DAY, now - 10 * DAY, now - DAY, now + 20 * DAY, now + 30 * DAY)
        .ok_or_else(|| anyhow::anyhow!("demo contest schedule"))?;
    let id = store
        .insert_campaign(
            &store::NewCampaign {
                slug: DEMO_CONTEST_SLUG,
                unit_code: "37",
                title: "“劳动最美”职工摄影作品网络展",
                description: "展示全省职工镜头里的劳动之美。作品经审核后展出，欢迎为喜爱的作品投票。",
                schedule,
                voter_rule: VoterRule::Registered,
                votes_per_day: 5,
                votes_per_candidate: 1,
                expert_weight_pct: 0,
                created_by: None,
                works: true,
            },
            now,
        )
        .await?;
    let authors = [
        ("刘敏", "37131202"),
        ("夏国子", "37010304"),
        ("严东", "37020305"),
        ("王建国", "37010201"),
        ("张丽", "371300"),
        ("孙强", "370102"),
    ];
    let story = app::voting::service::sanitize_story("<p>摄于工作现场，记录同事们认真工作的一刻。</p>");
    let entries: Vec<store::NewCandidate> = DEMO_PHOTOS
        .iter()
        .zip(authors)
        .enumerate()
        .map(|(i, ((title, _, _), (name, unit)))| store::NewCandidate {
            number: i as i32 + 1,
            name,
            unit_code: unit,
            title,
            story_html: &story,
        })
        .collect();
    store.insert_candidates(id, &entries, now).await?;
    for (candidate, (_, picture, thumb)) in store.candidates(id).await?.iter().zip(DEMO_PHOTOS) {
        store.put_media(store::MediaKind::Candidate, candidate.id, "image/jpeg", picture, now).await?;
        store.put_media(store::MediaKind::EntryThumb, candidate.id, "image/jpeg", thumb, now).await?;
    }
    Ok(())
}

/// The demo articles' photos (scripts/make-demo-photos.py): the 960 px
/// picture and its 320 px thumbnail, as an upload would have made them.
const DEMO_PHOTOS: [(&str, &[u8], &[u8]); 6] = [
    (
        "安全知识竞赛现场",
        include_bytes!("../../demo/photos/safety-quiz.jpg"),
        include_bytes!("../../demo/photos/safety-quiz-320.jpg"),
    ),
    (
        "班组交流会",
        include_bytes!("../../demo/photos/workshop.jpg"),
        include_bytes!("../../demo/photos/workshop-320.jpg"),
    ),
    (
        "走访慰问",
        include_bytes!("../../demo/photos/winter-visit.jpg"),
        include_bytes!("../../demo/photos/winter-visit-320.jpg"),
    ),
    ("职工书屋", include_bytes!("../../demo/photos/library.jpg"), include_bytes!("../../demo/photos/library-320.jpg")),
    (
        "职工运动会",
        include_bytes!("../../demo/photos/sports-day.jpg"),
        include_bytes!("../../demo/photos/sports-day-320.jpg"),
    ),
    ("表彰大会", include_bytes!("../../demo/photos/award.jpg"), include_bytes!("../../demo/photos/award-320.jpg")),
];

/// Twelve published articles with pictures across the demo tree (and one
/// draft, so the desk shows every state), comments (approved, pending, one
/// held by a watched word), likes, the province's watchlist, a
/// distribution to Linyi republished by one county, and views that came by
/// share links — so the feed, the article pages, moderation and tracking
/// are alive on a fresh start. Runs once, right after `load_if_empty`.
pub async fn load_publishing(store: &Store, media: &app::newsroom::media::Media) -> anyhow::Result<()> {
    use store::{Decision, NewStory};
    const HOUR: i64 = 3_600;
    let now = app::clock::now();
    let member = |phone: &'static str| async move {
        let phone = domain::Phone::parse(phone).map_err(|e| anyhow::anyhow!("{e}"))?;
        let found = store.credentials_by_phone(&phone).await?.ok_or_else(|| anyhow::anyhow!("demo member {phone}"))?;
        anyhow::Ok(found.member.id)
    };
    let (admin, editor, second) =
        (member("13800000000").await?, member("19009883727").await?, member("19220638116").await?);
    let author = member("13856081167").await?;
    let mut photos = Vec::new();
    for (title, full, thumb) in DEMO_PHOTOS {
        let token = app::random::token();
        let key = format!("a/{token}");
        app::newsroom::media::put_bytes(media, &format!("{key}-320"), thumb.to_vec())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        app::newsroom::media::put_bytes(media, &key, full.to_vec()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let id = store
            .insert_asset(
                &store::NewAsset {
                    token: &token,
                    unit_code: "37",
                    kind: store::AssetKind::Photo,
                    title,
                    tags: "演示",
                    file_name: "demo.jpg",
                    content_type: "image/jpeg",
                    size_bytes: full.len() as i64,
                    width: Some(960),
                    height: Some(640),
                    blob_key: &key,
                    thumbs: &format!("320={key}-320;960={key}"),
                    shared_down: true,
                    uploaded_by: author,
                },
                now,
            )
            .await?;
        photos.push(id);
    }
    let articles: [(&str, &str, &str); 12] = [
        (
            "37",
            "省总工会部署冬季送温暖活动",
            "省总工会召开专题会议，部署今冬明春送温暖工作，要求各级工会把困难职工的冷暖放在心上。",
        ),
        (
            "37",
            "全省职工技能大赛圆满落幕",
            "为期三天的全省职工职业技能大赛落幕，**126 名**选手获奖，30 人被授予技术能手称号。",
        ),
        ("370100", "济南市总工会为一线职工送清凉", "济南市总工会走访 60 个施工现场，为一线职工送去防暑降温用品。"),
        ("370102", "历下区总工会开展职工书屋阅读月", "历下区各基层工会职工书屋开展阅读月活动，累计借阅图书 3 200 册。"),
        ("37010202", "供电公司工会举办安康杯知识竞赛", "历下区供电公司工会举办“安康杯”安全知识竞赛，12 支队伍参赛。"),
        (
            "37010201",
            "机械厂工会创新工作室获评市级示范",
            "机械厂工会劳模创新工作室获评市级示范工作室，三年完成技术革新 41 项。",
        ),
        ("371300", "临沂市总工会惠员卡优惠节启动", "临沂市总工会惠员卡优惠节启动，200 余家商户为会员提供专属优惠。"),
        ("371300", "临沂职工1元观影活动开始报名", "实名认证会员可通过惠员卡报名1元观影，每人每月限一次。"),
        (
            "371302",
            "兰山区总工会为新就业形态劳动者建驿站",
            "兰山区新建 12 个户外劳动者服务驿站，提供饮水、充电、休息服务。",
        ),
        ("370103", "市中区职工运动会举行", "市中区第十届职工运动会举行，46 家单位 1 800 名职工参赛。"),
        ("370100", "济南表彰一批最美职工", "济南市总工会表彰 20 名最美职工，他们来自制造、交通、医疗等行业。"),
        ("37", "工会新声：基层工会这一周", "一周来各级工会的新闻摘要：送温暖、技能比武、书屋阅读月。"),
    ];
    let mut ids = Vec::new();
    for (n, (unit, title, body)) in articles.iter().enumerate() {
        let body_html = app::newsroom::service::render_markdown(body);
        let excerpt = app::newsroom::service::plain_text(&body_html);
        let assets = [photos[n % photos.len()]];
        let story = store
            .insert_story_draft(
                &NewStory {
                    desk_unit_code: unit,
                    author,
                    title,
                    body_md: body,
                    body_html: &body_html,
                    excerpt: &excerpt,
                    kind: "news",
                    event_date: &app::clock::date_time_in_shanghai(now - 86_400)[..10],
                    outward: n != 7,
                    call: None,
                    assets: &assets,
                },
                now,
            )
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo story {title}: its photo could not be attached"))?;
        store.submit_story(story, 3, false, now).await?;
        for (step, reviewer) in [editor, second, admin].into_iter().enumerate() {
            store
                .decide_story(story, 1, step as i64 + 1, reviewer, Decision::Approve, "", now)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        // The first eight over the last days, the last four today (so the
        // ranking and the big screen show a day under way); the first pinned.
        let publish_at = if n >= 8 { now - (11 - n as i64) * HOUR } else { now - (12 - n as i64) * 22 * HOUR };
        let id = store
            .publish_story(store::Publishing { story, by: admin, publish_at, pinned: n == 0, now })
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        ids.push(id);
    }
    // A draft, so the desk shows every state.
    let draft = "正在整理的稿件，还没写完。";
    store
        .insert_story_draft(
            &NewStory {
                desk_unit_code: "37010202",
                author,
                title: "职工食堂新菜单（草稿）",
                body_md: draft,
                body_html: &app::newsroom::service::render_markdown(draft),
                excerpt: draft,
                kind: "news",
                event_date: &app::clock::date_time_in_shanghai(now)[..10],
                outward: true,
                call: None,
                assets: &[],
            },
            now,
        )
        .await?;
    let actor = store.actor(admin).await?;
    for (word, tier, whole) in [("欠薪", "alert", false), ("维权", "hold", false), ("垃圾广告", "block", false)]
    {
        store.set_watch_word(&actor, "37", word, tier, whole, now).await?;
    }
    let readers = [member("18311150634").await?, member("13405840948").await?, editor, second];
    let day = domain::CivilDate::in_shanghai(now).iso();
    let comments: [(usize, &str, &str, bool); 4] = [
        (0, "送温暖送到了心坎上，点赞！", "", true),
        (0, "希望今年多走访一些新就业形态劳动者。", "", true),
        (1, "技能大赛的视频在哪里可以看？", "", false),
        (6, "我们厂有职工反映维权渠道不清楚，能否出个指南？", "维权", false),
    ];
    for (n, (article, body, held, approve)) in comments.into_iter().enumerate() {
        let id = store
            .insert_comment(&store::NewComment {
                article: ids[article],
                member: readers[n % readers.len()],
                body,
                held_words: held,
                alerts: &[],
                day: &day,
                now,
            })
            .await?;
        if approve {
            store.decide_comment(&actor, id, true, now).await?;
        }
    }
    for (n, reader) in readers.iter().enumerate() {
        for article in ids.iter().take(n + 2) {
            store.toggle_like(*reader, *article, now).await?;
        }
    }
    store.distribute(&actor, ids[1], "37", &["371300".to_owned(), "371302".to_owned()], "请各单位转载", now).await?;
    store.republish(admin, ids[1], "371302", now).await?;
    // Views by share links: a Linyi member's link read 40 times, a Jinan
    // member's 25 (and reshared once), and 60 readers from the feed.
    let tag_a = store.share_tag(readers[0], ids[1], None, &app::random::token(), now).await?;
    let tag_b = store.share_tag(readers[1], ids[1], Some(&tag_a), &app::random::token(), now).await?;
    let today = domain::calendar::shanghai_day(now);
    let mut views = Vec::new();
    for (tag, count) in [(Some(tag_a), 40), (Some(tag_b), 25), (None, 60)] {
        for n in 0..count {
            views.push(store::NewView {
                article: ids[1],
                day: today,
                visitor: format!("{}-{n}", tag.as_deref().unwrap_or("direct")),
                tag: tag.clone(),
                at: now,
            });
        }
    }
    for (n, id) in ids.iter().enumerate() {
        // Yesterday's readers, and today's (more for the newer articles).
        for (day, count) in [(today - 1, 10 + 7 * n), (today, 3 + 9 * n)] {
            for v in 0..count {
                views.push(store::NewView {
                    article: *id,
                    day,
                    visitor: format!("demo-{day}-{v}"),
                    tag: None,
                    at: now,
                });
            }
        }
    }
    store.append_views(&views).await?;
    tracing::info!(articles = ids.len(), "loaded the demo articles");
    Ok(())
}

/// 服务 alive on a fresh start: three partner merchants (each signs in at
/// /partner with its login and the demo password), three benefits — the
/// province's 生日送蛋糕 (birthday month, once a year), 临沂's 职工1元观影
/// (200 a day) and the province's 免费健康体检 (members certified by today)
/// — with pictures, and claims: one redeemed at the cinema, one waiting;
/// two activities: 临沂's full screening with one member in line, and the
/// province's training; three 微心愿 (open, fulfilled, waiting for review);
/// a 学吧 course of two lessons, the first passed by 刘敏.
pub async fn load_services(store: &Store) -> anyhow::Result<()> {
    const DAY: i64 = 86_400;
    load_contest(store).await?;
    let now = app::clock::now();
    let member = |phone: &'static str| async move {
        let phone = domain::Phone::parse(phone).map_err(|e| anyhow::anyhow!("{e}"))?;
        let found = store.credentials_by_phone(&phone).await?.ok_or_else(|| anyhow::anyhow!("demo member {phone}"))?;
        anyhow::Ok(found.member.id)
    };
    let admin = store.actor(member("13800000000").await?).await?;
    let password = domain::Password::parse(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = app::accounts::service::hash_password(password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut partners = Vec::new();
    for (unit, name, login) in [
        ("37", "好利来蛋糕（临沂店）", "demo-cake"),
        ("371300", "万达影城（临沂店）", "demo-cinema"),
        ("37", "爱康国宾体检中心", "demo-health"),
    ] {
        let id = store.create_partner(&admin, unit, name, login, &hash, now).await?.context("demo partner")?;
        partners.push(id);
    }
    let today = app::clock::today_in_shanghai();
    let midnight = today.midnight_in_shanghai();
    let benefits = [
        (
            "37",
            "生日送蛋糕",
            "生日当月的实名认证会员，凭领取码到合作蛋糕店领取生日蛋糕一个。",
            0,
            true,
            None,
            true,
            10_000,
            None,
            365,
        ),
        (
            "371300",
            "职工1元观影",
            "临沂市实名认证会员每人可 1 元观看一场电影，凭领取码到万达影城（临沂店）前台兑换。",
            1,
            false,
            None,
            false,
            5_000,
            Some(200),
            60,
        ),
        (
            "37",
            "免费健康体检",
            "已认证会员每年一次免费基础体检，凭领取码预约爱康国宾体检中心。",
            2,
            false,
            Some(today.iso()),
            true,
            2_000,
            None,
            90,
        ),
    ];
    let pictures: [&[u8]; 3] = [
        include_bytes!("../../demo/photos/winter-visit.jpg"),
        include_bytes!("../../demo/photos/library.jpg"),
        include_bytes!("../../demo/photos/sports-day.jpg"),
    ];
    let mut ids = Vec::new();
    for ((unit, title, description, partner, birthday, since, yearly, quota, per_day, days), picture) in
        benefits.into_iter().zip(pictures)
    {
        let new = store::NewBenefit {
            unit_code: unit,
            title,
            description,
            partner_id: partners[partner],
            birthday_month: birthday,
            member_since: since.as_deref(),
            once_per_year: yearly,
            quota,
            quota_per_day: per_day,
            opens_at: midnight - 3 * DAY,
            closes_at: midnight + days * DAY,
        };
        let id = store.create_benefit(&admin, &new, now).await?.context("demo benefit")?;
        store.put_media(store::MediaKind::Benefit, id, "image/jpeg", picture, now).await?;
        ids.push(id);
    }
    // 刘敏 (临沂) went to the cinema yesterday; 武晓 has a health check to book.
    let day = today.iso();
    for (phone, benefit, period, redeemed_by) in
        [("19009883727", ids[1], 0, Some(partners[1])), ("19220638116", ids[2], today.year() as i32, None)]
    {
        let who = member(phone).await?;
        let unit = store.claimant_facts(who).await?.context("demo claimant")?.unit_id;
        let claim = store::NewClaim { benefit, member: who, unit_id: unit, period, day: &day, now: now - DAY };
        let id = store.claim_benefit(&claim).await?.map_err(|e| anyhow::anyhow!("demo claim: {e:?}"))?;
        if let Some(partner) = redeemed_by {
            store.redeem_claim(partner, id, benefit, now - DAY + 3_600).await?;
        }
    }
    // 活动: 临沂's weekend screening (two seats, both taken, one in line)
    // and the province's safety training with room to spare.
    let (_, screening) = store
        .create_activity(
            &admin,
            &store::NewActivity {
                unit_code: "371300",
                title: "职工1元观影·周末场",
                description: "临沂市实名认证会员 1 元观影，凭签到码入场。",
                kind: "cinema",
                member_since: None,
            },
            &store::NewSession {
                place: "万达影城（临沂店）3 号厅",
                starts_at: midnight + 3 * DAY + 14 * 3_600,
                ends_at: midnight + 3 * DAY + 16 * 3_600,
                capacity: 2,
                signup_opens: midnight - DAY,
                signup_closes: midnight + 3 * DAY,
            },
            now,
        )
        .await?
        .context("demo screening")?;
    let (training, _) = store
        .create_activity(
            &admin,
            &store::NewActivity {
                unit_code: "37",
                title: "安全生产知识培训",
                description: "省总工会组织的安全生产知识培训，培训后颁发学习证明。",
                kind: "training",
                member_since: None,
            },
            &store::NewSession {
                place: "山东省职工之家 报告厅",
                starts_at: midnight + 7 * DAY + 9 * 3_600,
                ends_at: midnight + 7 * DAY + 11 * 3_600 + 1_800,
                capacity: 100,
                signup_opens: midnight - DAY,
                signup_closes: midnight + 6 * DAY,
            },
            now,
        )
        .await?
        .context("demo training")?;
    store
        .put_media(
            store::MediaKind::Activity,
            training,
            "image/jpeg",
            include_bytes!("../../demo/photos/safety-quiz.jpg"),
            now,
        )
        .await?;
    for phone in ["19009883727", "19220638116", "19901891103"] {
        let who = member(phone).await?;
        let unit = store.claimant_facts(who).await?.context("demo member")?.unit_id;
        store.sign_up_session(screening, who, unit, now - 3_600).await?;
    }
    // 微心愿: one waiting for a donor, one fulfilled (with its photo), one
    // waiting for the demo admin's review.
    let wishes = [
        (
            "19220638116",
            "给孩子买一套过冬的棉衣",
            "孩子长得快，去年的棉衣已经穿不下了，家里今年开销大。",
            300,
            "approved",
        ),
        ("19901891103", "父亲住院期间的营养品", "父亲做了手术正在康复，想给他买些营养品补补身体。", 200, "fulfilled"),
        ("18311150634", "一辆二手电动车上下班", "住处离厂里远，公交要倒两趟车，想买辆二手电动车。", 500, "pending"),
    ];
    for (phone, title, reason, value, state) in wishes {
        let who = member(phone).await?;
        let unit_id = store.claimant_facts(who).await?.context("demo wisher")?.unit_id;
        let new = store::NewWish { unit_id, member: who, posted_by: who, title, reason, value_yuan: value };
        let id = store.post_wish(&new, now - 2 * DAY).await?;
        if state != "pending" {
            store.review_wish(&admin, id, true, "", now - DAY).await?;
        }
        if state == "fulfilled" {
            let donor = member("19009883727").await?;
            store.claim_wish(id, Some(donor), "刘敏", donor, now - DAY + 3_600).await?;
            store
                .put_media(
                    store::MediaKind::Wish,
                    id,
                    "image/jpeg",
                    include_bytes!("../../demo/photos/winter-visit-320.jpg"),
                    now,
                )
                .await?;
            store.confirm_wish(&admin, id, now - 3_600).await?;
        }
    }
    // 学吧: a course of the province with two lessons; 刘敏 passed the first.
    let course = store
        .create_course(&admin, "37", "职工权益知识", "三分钟读懂劳动法里和自己有关的几件事。", now)
        .await?
        .context("demo course")?;
    let lessons = [
        (
            "年休假怎么算",
            "职工累计工作已满 1 年不满 10 年的，年休假 **5 天**；已满 10 年不满 20 年的，**10 天**；已满 20 年的，**15 天**。",
            "累计工作 3 年的职工，每年年休假几天？｜3｜5｜10｜2\n已满 10 年不满 20 年的，年休假几天？｜5｜10｜15｜2\n已满 20 年的，年休假几天？｜10｜15｜20｜2",
        ),
        (
            "试用期有多长",
            "劳动合同期限 3 个月以上不满 1 年的，试用期不超过 **1 个月**；1 年以上不满 3 年的，不超过 **2 个月**；3 年以上的，不超过 **6 个月**。",
            "合同期 2 年，试用期最长？｜1 个月｜2 个月｜6 个月｜2\n合同期 5 年，试用期最长？｜2 个月｜3 个月｜6 个月｜3\n合同期 6 个月，试用期最长？｜1 个月｜2 个月｜3 个月｜1",
        ),
    ];
    let mut first = None;
    for (title, body, quiz) in lessons {
        let questions = app::lessons::service::parse_quiz(quiz).map_err(|e| anyhow::anyhow!("{e}"))?;
        let html = app::newsroom::service::render_markdown(body);
        let new = store::NewLesson { title, body_md: body, body_html: &html, asset_id: None, questions: &questions };
        let id = store.add_lesson(&admin, course, &new, now).await?.context("demo lesson")?;
        first.get_or_insert(id);
    }
    let liu = member("19009883727").await?;
    let unit = store.claimant_facts(liu).await?.context("demo learner")?.unit_id;
    store.record_progress(first.context("a lesson")?, liu, unit, Some(true), now - DAY).await?;
    tracing::info!("loaded the demo benefits, activities, wishes and lessons");
    Ok(())
}

/// 信箱: 刘敏 of 临沂 asked the lawyers about overtime pay (answered and
/// published), wrote to 临沂 about unpaid wages ten days ago (overdue, so
/// the province sees it under 逾期督办), and made a suggestion to the
/// province (on time).
pub async fn load_mail(store: &Store, key: &DataKey) -> anyhow::Result<()> {
    const DAY: i64 = 86_400;
    let now = app::clock::now();
    let phone = domain::Phone::parse("19009883727").map_err(|e| anyhow::anyhow!("{e}"))?;
    let liu = store.credentials_by_phone(&phone).await?.context("demo writer")?.member.id;
    let admin_phone = domain::Phone::parse("13800000000").map_err(|e| anyhow::anyhow!("{e}"))?;
    let admin = store.credentials_by_phone(&admin_phone).await?.context("demo admin")?.member.id;
    let unit =
        |code: &'static str| async move { anyhow::Ok(store.unit_path_by_code(code).await?.context("demo unit")?.0) };
    let calendar = app::mailboxes::service::calendar(store).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let letters = [
        (
            "legal",
            "371300",
            "周末加班费怎么计算",
            "我在供电公司做运维，周末经常被叫去加班，单位说可以调休不给加班费，这样合法吗？",
            3,
            Some((
                "休息日安排加班又不能安排补休的，应支付不低于工资 200% 的工资报酬；能安排补休的可以补休。建议与单位协商确认补休安排，协商不成可申请劳动仲裁。",
                "周末经常被叫去加班，单位说可以调休不给加班费，这样合法吗？",
            )),
        ),
        (
            "union",
            "371300",
            "单位拖欠两个月工资",
            "我们班组十几个人，九月、十月两个月的工资都还没有发，找过单位几次都说再等等。",
            10,
            None,
        ),
        ("suggestion", "37", "建议周末开放职工书屋", "倒班的职工平时没空，希望职工书屋周末也能开放。", 1, None),
    ];
    for (kind, code, subject, body, days_ago, answer) in letters {
        let at = now - days_ago * DAY;
        let received = domain::CivilDate::in_shanghai(at);
        let unit_id = unit(code).await?;
        let new = store::NewLetter {
            kind,
            member: liu,
            unit_id,
            subject,
            body,
            anonymous: true,
            may_publish: answer.is_some(),
            watched_words: "",
            deadline: &calendar.deadline(received, 5).iso(),
            alerts: &[],
            day: &received.iso(),
        };
        let id = store.write_letter(&new, key, at).await?;
        if let Some((text, question)) = answer {
            let answer = store::Answer { text, public_question: Some(question) };
            store.answer_letter(admin, id, &answer, at + DAY).await?;
            store.rate_letter(liu, id, 1, at + 2 * DAY).await?;
        }
    }
    tracing::info!("loaded the demo letters");
    Ok(())
}
