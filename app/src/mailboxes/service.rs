//! The mailbox rules on typed inputs: where a member may write, who handles
//! a letter, the deadline on the working-day calendar, transfers, answers,
//! ratings and what the public Q&A may show.

use domain::working_days::WorkCalendar;
use domain::CivilDate;
use store::protect::DataKey;
use store::{Actor, Letter, MemberId, Store};

use super::model::*;
use crate::clock::date_time_in_shanghai;
use crate::error::AppError;
use crate::newsroom::model::masked_name;
use crate::newsroom::publishing::Publishing;

fn store_error(context: &'static str) -> impl Fn(store::StoreError) -> AppError {
    move |e| AppError::from_store(context, e)
}

/// The calendar's exceptions as the deadline arithmetic needs them.
pub async fn calendar(store: &Store) -> Result<WorkCalendar, AppError> {
    let days = store.work_calendar().await.map_err(store_error("calendar"))?;
    Ok(WorkCalendar::new(days.into_iter().filter_map(|(day, working, _)| Some((CivilDate::parse_iso(&day)?, working)))))
}

/// A letter's list card, `today` deciding whether it is overdue.
pub fn card(l: &Letter, calendar: &WorkCalendar, today: CivilDate) -> LetterCard {
    let due = CivilDate::parse_iso(&l.deadline);
    let overdue_days = match (l.answered_at, due) {
        (None, Some(due)) => calendar.working_days_between(due, today),
        _ => 0,
    };
    let status = match (l.answered_at, l.rating) {
        (Some(_), Some(r)) => format!("已答复 · {}", rating_label(r)),
        (Some(_), None) => "已答复".to_owned(),
        (None, _) if overdue_days > 0 => format!("已逾期 {overdue_days} 个工作日"),
        (None, _) if l.assigned_to.is_some() => "办理中".to_owned(),
        (None, _) => "待办理".to_owned(),
    };
    LetterCard {
        id: l.id,
        kind_name: mailbox_name(&l.kind).to_owned(),
        subject: l.subject.clone(),
        unit_name: l.unit_name.clone(),
        deadline: l.deadline.clone(),
        status,
        answered: l.answered_at.is_some(),
        overdue_days,
        written_at: date_time_in_shanghai(l.created_at),
        watched_words: l.watched_words.clone(),
        assignee: l.assignee_name.clone(),
    }
}

/// The 信箱 page for `viewer`.
pub async fn mail(store: &Store, viewer: Option<MemberId>) -> Result<MailView, AppError> {
    let err = store_error("mail");
    let Some(member) = viewer else { return Ok(MailView::default()) };
    let facts = store.claimant_facts(member).await.map_err(&err)?.ok_or(AppError::Internal)?;
    let units = store.unit_path(facts.unit_id).await.map_err(&err)?.into_iter().map(|(_, c, n)| (c, n)).collect();
    let calendar = calendar(store).await?;
    let today = crate::clock::today_in_shanghai();
    let letters = store.member_letters(member).await.map_err(&err)?.iter().map(|l| card(l, &calendar, today)).collect();
    let actor = store.actor(member).await.map_err(&err)?;
    let handles = actor.is_official() || store.is_lawyer(member).await.map_err(&err)?;
    Ok(MailView { signed_in: true, units, letters, handles })
}

/// A letter's fields, checked: (kind, subject, body).
pub fn check(kind: &str, subject: &str, body: &str) -> Result<(&'static str, String, String), AppError> {
    let kind = MAILBOXES
        .iter()
        .map(|(k, _, _)| *k)
        .find(|k| *k == kind.trim())
        .ok_or_else(|| AppError::rejected(400, "kind", "请选择信箱"))?;
    let subject = subject.trim();
    if !(4..=40).contains(&subject.chars().count()) {
        return Err(AppError::rejected(400, "subject", "标题请写 4 到 40 个字，说清是什么事"));
    }
    let body = body.trim();
    if !(10..=2000).contains(&body.chars().count()) {
        return Err(AppError::rejected(400, "body", "内容请写 10 到 2000 字"));
    }
    Ok((kind, subject.to_owned(), body.to_owned()))
}

/// What a letter to `unit_code` needs once checked: the unit (on the
/// writer's own path) and the deadline.
pub struct Writing<'a> {
    pub kind: &'a str,
    pub unit_code: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub anonymous: bool,
    pub may_publish: bool,
}

/// Member `member` writes a letter; its id. The deadline is the unit's
/// working days for that mailbox (5 by default) counted from today on the
/// calendar; watched words raise 舆情 alerts but never refuse a letter (a
/// member's complaint must reach the union whatever its words).
pub async fn write(
    store: &Store,
    publishing: &Publishing,
    key: &DataKey,
    member: MemberId,
    w: &Writing<'_>,
    now: i64,
) -> Result<i64, AppError> {
    let err = store_error("write_letter");
    let (kind, subject, body) = check(w.kind, w.subject, w.body)?;
    let facts = store.claimant_facts(member).await.map_err(&err)?.ok_or(AppError::Internal)?;
    let path = store.unit_path(facts.unit_id).await.map_err(&err)?;
    let Some((unit_id, _, _)) = path.iter().find(|(_, code, _)| code == w.unit_code.trim()) else {
        return Err(AppError::rejected(400, "unit", "请选择您所在的工会或它的上级工会"));
    };
    let watch = publishing.watchlist(store, *unit_id).await?;
    let verdict = watch.verdict(&format!("{subject}\n{body}"));
    let alerts = watch.alerts(&verdict, true);
    let words: Vec<&str> = verdict.hits.iter().map(|h| h.word.as_str()).collect();
    let days = store.mailbox_deadline_days(*unit_id, kind).await.map_err(&err)?;
    let today = CivilDate::in_shanghai(now);
    let deadline = calendar(store).await?.deadline(today, days.max(0) as u32).iso();
    let new = store::NewLetter {
        kind,
        member,
        unit_id: *unit_id,
        subject: &subject,
        body: &body,
        anonymous: w.anonymous,
        may_publish: w.may_publish,
        watched_words: &words.join("、"),
        deadline: &deadline,
        alerts: &alerts,
        day: &today.iso(),
    };
    store.write_letter(&new, key, now).await.map_err(&err)
}

/// The handler `member` as an actor, if they handle letters at all.
async fn handler(store: &Store, member: MemberId) -> Result<Actor, AppError> {
    store.actor(member).await.map_err(store_error("handler"))
}

/// Whether `member` may read letter `id` (its writer or a handler; 404
/// otherwise), without opening or assembling it (its photos ask this).
pub async fn may_read(store: &Store, member: MemberId, id: i64) -> Result<(), AppError> {
    let err = store_error("may_read");
    let actor = handler(store, member).await?;
    if store.letter_for_handler(&actor, id).await.map_err(&err)?.is_some() {
        return Ok(());
    }
    match store.letter(id).await.map_err(&err)? {
        Some(l) if l.member_id == member.0 => Ok(()),
        _ => Err(AppError::rejected(404, "", "没有这封来信")),
    }
}

/// Letter `id` for `member`: the writer sees it, handlers see it with their
/// tools; anyone else gets 404.
pub async fn letter(store: &Store, key: &DataKey, member: MemberId, id: i64) -> Result<LetterView, AppError> {
    let err = store_error("letter");
    let missing = || AppError::rejected(404, "", "没有这封来信");
    let actor = handler(store, member).await?;
    let handled = store.letter_for_handler(&actor, id).await.map_err(&err)?;
    let letter = match handled.clone() {
        Some(l) => l,
        None => store.letter(id).await.map_err(&err)?.filter(|l| l.member_id == member.0).ok_or_else(missing)?,
    };
    let calendar = calendar(store).await?;
    let card = card(&letter, &calendar, crate::clock::today_in_shanghai());
    let body = key.open(&letter.body_sealed).map_err(|_| AppError::Internal)?;
    let events = store.letter_events(id).await.map_err(&err)?;
    let trail = events
        .iter()
        .map(|e| {
            let what = match e.action.as_str() {
                "written" => format!("来信送达{}", e.to_unit.as_deref().unwrap_or("")),
                "assigned" => format!("分派给 {}", masked_name(&e.note)),
                "transferred" => {
                    format!("{}转办至{}", e.from_unit.as_deref().unwrap_or(""), e.to_unit.as_deref().unwrap_or(""))
                }
                "answered" => "已答复".to_owned(),
                "published" => "答复已公开（隐去个人信息）".to_owned(),
                "rated" => "来信人已评价".to_owned(),
                other => other.to_owned(),
            };
            let note = if e.action == "transferred" { e.note.clone() } else { String::new() };
            (what, date_time_in_shanghai(e.at), note)
        })
        .collect();
    let tools = match handled {
        None => None,
        Some(l) => Some(tools(store, &actor, &l, &body).await?),
    };
    Ok(LetterView {
        body,
        anonymous: letter.anonymous,
        may_publish: letter.may_publish,
        answer: letter.answer.clone(),
        answered_at: letter.answered_at.map(date_time_in_shanghai),
        rating: letter.rating.map(|r| rating_label(r).to_owned()),
        published: letter.published_at.is_some(),
        photos: (1..=letter.photos).map(|n| format!("/services/mail/{id}/photo/{n}")).collect(),
        trail,
        is_writer: letter.member_id == member.0,
        handler: tools,
        card,
    })
}

async fn tools(store: &Store, actor: &Actor, l: &Letter, body: &str) -> Result<HandlerTools, AppError> {
    let err = store_error("letter_tools");
    let may_transfer = l.answered_at.is_none()
        && store
            .unit_in_scope(actor, &domain::UnitCode::parse(&l.unit_code).map_err(|_| AppError::Internal)?)
            .await
            .map_err(&err)?;
    let mut transfer_to = Vec::new();
    if may_transfer {
        if let Some(parent) = l.parent_id {
            if let Some((_, code, name)) = store.unit_path(parent).await.map_err(&err)?.into_iter().next() {
                transfer_to.push((code, format!("上级：{name}")));
            }
        }
        // One step at a time, up or down: a province official's reach has
        // thousands of units, too many for a select on a phone.
        for (code, name) in store.child_units(l.unit_id).await.map_err(&err)? {
            transfer_to.push((code, format!("下级：{name}")));
        }
    }
    Ok(HandlerTools {
        writer: if l.anonymous { format!("{}（要求对外匿名）", l.member_name) } else { l.member_name.clone() },
        transfer_to,
        may_transfer,
        may_publish: l.may_publish && l.answered_at.is_none(),
        public_question: redact(body, &l.member_name),
    })
}

/// The question as the public may read it: the writer's name and every run
/// of 7 or more digits (phone and ID numbers, bank cards) taken out. The
/// handler reads it over before publishing — names of others, workplaces
/// and addresses are theirs to remove.
pub fn redact(text: &str, writer: &str) -> String {
    let named = if writer.chars().count() >= 2 { text.replace(writer, "某会员") } else { text.to_owned() };
    let mut out = String::with_capacity(named.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 7 {
            out.push_str("＊＊＊");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in named.chars() {
        if c.is_ascii_digit() || (!run.is_empty() && matches!(c, 'X' | 'x')) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The letter `id` handler `member` may act on, with their actor.
async fn handled(store: &Store, member: MemberId, id: i64) -> Result<(Actor, Letter), AppError> {
    let actor = handler(store, member).await?;
    let letter = store.letter_for_handler(&actor, id).await.map_err(store_error("handled"))?;
    let letter = letter.ok_or_else(|| AppError::rejected(404, "", "没有这封来信，或它不归您办理"))?;
    Ok((actor, letter))
}

/// Assigns letter `id` to the member with `phone`, who must be able to
/// handle it themselves (an official over its unit, or its unit's lawyer
/// for 律师邮箱). Only officials over the letter's unit assign.
pub async fn assign(store: &Store, member: MemberId, id: i64, phone: &str, now: i64) -> Result<String, AppError> {
    let err = store_error("assign_letter");
    let (actor, letter) = handled(store, member, id).await?;
    let code = domain::UnitCode::parse(&letter.unit_code).map_err(|_| AppError::Internal)?;
    if !store.unit_in_scope(&actor, &code).await.map_err(&err)? {
        return Err(AppError::rejected(403, "", "只有来信所在单位及上级的管理员可以分派"));
    }
    let phone = domain::Phone::parse(phone).map_err(|e| AppError::rejected(400, "phone", e.to_string()))?;
    let found = store.credentials_by_phone(&phone).await.map_err(&err)?;
    let Some(found) = found else { return Err(AppError::rejected(404, "phone", "没有这个手机号的会员")) };
    let target = store.actor(found.member.id).await.map_err(&err)?;
    if store.letter_for_handler(&target, id).await.map_err(&err)?.is_none() {
        return Err(AppError::rejected(
            409,
            "phone",
            "这位会员不能办理这封来信：请分派给来信单位的管理员（律师邮箱也可分派给该单位的律师）",
        ));
    }
    let name = found.member.name.to_string();
    if !store.assign_letter(&actor, id, found.member.id, &name, now).await.map_err(&err)? {
        return Err(AppError::rejected(409, "", "这封来信已答复，不能再分派"));
    }
    Ok(format!("已分派给 {name}"))
}

/// Transfers letter `id` to unit `to` (the unit just above it, or one just
/// below it) with a note. The deadline stays: the member has waited
/// since they wrote.
pub async fn transfer(
    store: &Store,
    member: MemberId,
    id: i64,
    to: &str,
    note: &str,
    now: i64,
) -> Result<String, AppError> {
    let err = store_error("transfer_letter");
    let (actor, letter) = handled(store, member, id).await?;
    let note = note.trim();
    if !(2..=200).contains(&note.chars().count()) {
        return Err(AppError::rejected(400, "note", "请写明转办原因（2 到 200 字）"));
    }
    let tools = tools(store, &actor, &letter, "").await?;
    if !tools.may_transfer {
        return Err(AppError::rejected(403, "", "只有来信所在单位及上级的管理员可以转办未答复的来信"));
    }
    let Some((code, _)) = tools.transfer_to.iter().find(|(code, _)| code == to.trim()) else {
        return Err(AppError::rejected(400, "to", "请选择上一级或下一级工会"));
    };
    let path = store.unit_path_by_code(code).await.map_err(&err)?;
    let Some((to_id, _, to_name)) = path else { return Err(AppError::rejected(400, "to", "所选单位不存在")) };
    if !store.transfer_letter(&actor, id, letter.unit_id, to_id, note, now).await.map_err(&err)? {
        return Err(AppError::rejected(409, "", "这封来信刚刚已被答复或转办，请刷新后再看"));
    }
    Ok(format!("已转办至{to_name}"))
}

/// Answers letter `id`; with `publish` (the writer consented) the answer
/// and `public_question` become a public Q&A.
pub async fn answer(
    store: &Store,
    member: MemberId,
    id: i64,
    text: &str,
    publish: bool,
    public_question: &str,
    now: i64,
) -> Result<String, AppError> {
    let err = store_error("answer_letter");
    let (_, letter) = handled(store, member, id).await?;
    let text = text.trim();
    if !(10..=3000).contains(&text.chars().count()) {
        return Err(AppError::rejected(400, "answer", "答复请写 10 到 3000 字"));
    }
    let question = public_question.trim();
    if publish {
        if !letter.may_publish {
            return Err(AppError::rejected(409, "publish", "来信人没有同意公开，不能公开答复"));
        }
        if !(10..=2000).contains(&question.chars().count()) {
            return Err(AppError::rejected(400, "public_question", "请写出公开的问题（10 到 2000 字，隐去个人信息）"));
        }
        if redact(question, &letter.member_name) != question {
            return Err(AppError::rejected(400, "public_question", "公开的问题里还有姓名或号码，请隐去后再公开"));
        }
    }
    let answer = store::Answer { text, public_question: publish.then_some(question) };
    if !store.answer_letter(member, id, &answer, now).await.map_err(&err)? {
        return Err(AppError::rejected(409, "", "这封来信已答复过"));
    }
    Ok(if publish { "已答复，并已公开到问答" } else { "已答复" }.to_owned())
}

/// The writer rates the answer to their letter `id` (1 满意, 2 基本满意, 3 不满意).
pub async fn rate(store: &Store, member: MemberId, id: i64, rating: &str, now: i64) -> Result<String, AppError> {
    let rating: i32 = rating
        .trim()
        .parse()
        .ok()
        .filter(|r| RATINGS.iter().any(|(v, _)| v == r))
        .ok_or_else(|| AppError::rejected(400, "rating", "请选择满意、基本满意或不满意"))?;
    if !store.rate_letter(member, id, rating, now).await.map_err(store_error("rate_letter"))? {
        return Err(AppError::rejected(409, "", "只能评价自己已答复的来信，且只能评价一次"));
    }
    Ok(format!("感谢您的评价：{}", rating_label(rating)))
}

/// The public Q&A of `kind` ("" for all mailboxes).
pub async fn public_qa(store: &Store, kind: &str) -> Result<Vec<PublicQa>, AppError> {
    let kind = if mailbox_name(kind).is_empty() { "" } else { kind };
    let rows = store.public_letters(kind).await.map_err(store_error("public_qa"))?;
    Ok(rows
        .into_iter()
        .map(|r| PublicQa {
            id: r.id,
            kind_name: mailbox_name(&r.kind).to_owned(),
            unit_name: r.unit_name,
            writer: if r.anonymous { "匿名会员".to_owned() } else { masked_name(&r.writer) },
            question: r.public_question,
            answer: r.answer,
            published: date_time_in_shanghai(r.published_at),
        })
        .collect())
}

/// 来信办理 for `member`: their letters, and the overdue letters of the
/// units below theirs — the escalation: a letter not answered by its
/// deadline rises to every unit above, which sees it until it is answered.
pub async fn admin(store: &Store, member: MemberId) -> Result<MailAdminView, AppError> {
    let err = store_error("mail_admin");
    let actor = handler(store, member).await?;
    let is_lawyer = store.is_lawyer(member).await.map_err(&err)?;
    if !actor.is_official() && !is_lawyer {
        return Err(AppError::rejected(403, "", "您没有办理来信的权限"));
    }
    let calendar_exceptions = store.work_calendar().await.map_err(&err)?;
    let calendar = WorkCalendar::new(
        calendar_exceptions.iter().filter_map(|(day, working, _)| Some((CivilDate::parse_iso(day)?, *working))),
    );
    let today = crate::clock::today_in_shanghai();
    let own_units: Vec<&str> = actor.units.iter().map(|(code, _)| code.as_str()).collect();
    let (mut letters, mut escalated) = (Vec::new(), Vec::new());
    for l in store.letters_for_handler(&actor).await.map_err(&err)? {
        let own = actor.is_super_admin
            || own_units.contains(&l.unit_code.as_str())
            || l.assigned_to == Some(member.0)
            || (l.kind == "legal" && store.is_lawyer_of(member, l.unit_id).await.map_err(&err)?);
        let c = card(&l, &calendar, today);
        if own {
            letters.push(c);
        } else if c.overdue_days > 0 {
            escalated.push(c);
        }
    }
    let year_start = format!("{}-01-01", today.year() - 1);
    Ok(MailAdminView {
        letters,
        escalated,
        is_official: actor.is_official(),
        units: store.units_in_scope(&actor).await.map_err(&err)?.into_iter().map(|(c, n, _)| (c, n)).collect(),
        calendar: calendar_exceptions
            .into_iter()
            .filter(|(day, _, _)| *day >= year_start)
            .filter_map(|(day, working, name)| {
                let d = CivilDate::parse_iso(&day)?;
                Some(CalendarDay { day, weekday: d.weekday_zh().to_owned(), working, name })
            })
            .collect(),
        may_edit_calendar: may_edit_calendar(store, &actor).await?,
    })
}

/// The calendar is national: super admins and officials of a top unit
/// (the province) keep it.
pub async fn may_edit_calendar(store: &Store, actor: &Actor) -> Result<bool, AppError> {
    Ok(actor.is_super_admin || store.is_top_official(actor.member_id).await.map_err(store_error("calendar"))?)
}

/// Sets a calendar day: `day` (YYYY-MM-DD), `working` ("1" a 调休 working
/// day, "0" a holiday), `name` (元旦, 春节调休上班 …). Audited.
pub async fn set_calendar_day(
    store: &Store,
    member: MemberId,
    day: &str,
    working: &str,
    name: &str,
    now: i64,
) -> Result<String, AppError> {
    let actor = handler(store, member).await?;
    if !may_edit_calendar(store, &actor).await? {
        return Err(AppError::rejected(403, "", "工作日历由省级工会管理员维护"));
    }
    let date = CivilDate::parse_iso(day).ok_or_else(|| AppError::rejected(400, "day", "请填写日期，如 2027-01-01"))?;
    let working = match working.trim() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::rejected(400, "working", "请选择放假或调休上班")),
    };
    let name = name.trim();
    if !(2..=20).contains(&name.chars().count()) {
        return Err(AppError::rejected(400, "name", "请写上节日名称，如“春节”或“春节调休上班”"));
    }
    store.set_calendar_day(member, &date.iso(), working, name, now).await.map_err(store_error("set_calendar_day"))?;
    Ok(format!("已将 {} {}设为{}", date.iso(), date.weekday_zh(), if working { "调休上班" } else { "放假" }))
}

/// Removes a calendar day's exception. Audited.
pub async fn remove_calendar_day(store: &Store, member: MemberId, day: &str, now: i64) -> Result<String, AppError> {
    let actor = handler(store, member).await?;
    if !may_edit_calendar(store, &actor).await? {
        return Err(AppError::rejected(403, "", "工作日历由省级工会管理员维护"));
    }
    let date = CivilDate::parse_iso(day).ok_or_else(|| AppError::rejected(400, "day", "请填写日期，如 2027-01-01"))?;
    if !store.remove_calendar_day(member, &date.iso(), now).await.map_err(store_error("remove_calendar_day"))? {
        return Err(AppError::rejected(404, "day", "这一天本来就是平常日"));
    }
    Ok(format!("{} 已恢复为平常日", date.iso()))
}

/// Sets unit `unit`'s deadline for mailbox `kind` in working days (1–30).
pub async fn set_deadline(
    store: &Store,
    actor: &Actor,
    unit: &str,
    kind: &str,
    days: &str,
    now: i64,
) -> Result<String, AppError> {
    if mailbox_name(kind).is_empty() {
        return Err(AppError::rejected(400, "kind", "请选择信箱"));
    }
    let days: i32 = days
        .trim()
        .parse()
        .ok()
        .filter(|d| (1..=30).contains(d))
        .ok_or_else(|| AppError::rejected(400, "days", "办理时限请填 1 到 30 个工作日"))?;
    if !store.set_mailbox_deadline(actor, unit.trim(), kind, days, now).await.map_err(store_error("set_deadline"))? {
        return Err(AppError::rejected(403, "unit", "只能设置您管理范围内的单位"));
    }
    Ok(format!("{}的办理时限已设为 {days} 个工作日", mailbox_name(kind)))
}

/// Adds the member with `phone` as a lawyer of unit `unit`'s 律师邮箱.
pub async fn add_lawyer(store: &Store, actor: &Actor, unit: &str, phone: &str, now: i64) -> Result<String, AppError> {
    let phone = domain::Phone::parse(phone).map_err(|e| AppError::rejected(400, "phone", e.to_string()))?;
    let err = store_error("add_lawyer");
    if store.credentials_by_phone(&phone).await.map_err(&err)?.is_none() {
        return Err(AppError::rejected(404, "phone", "没有这个手机号的会员，请律师先注册"));
    }
    if !store.add_lawyer(actor, unit.trim(), phone.as_ref(), now).await.map_err(&err)? {
        return Err(AppError::rejected(409, "unit", "所选单位不在您的管理范围，或这位律师已添加"));
    }
    Ok("已添加律师，律师邮箱的来信可分派给他".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_question_loses_the_writers_name_and_every_long_number() {
        let text = "我是张伟，电话13912345678，身份证37010319880515001X，工资拖欠3个月共12000元。";
        assert_eq!(redact(text, "张伟"), "我是某会员，电话＊＊＊，身份证＊＊＊，工资拖欠3个月共12000元。");
    }

    #[test]
    fn a_letter_says_what_it_is_about() {
        assert!(check("union", "工资拖欠", "公司已经三个月没有发工资了。").is_ok());
        assert!(check("tax", "工资拖欠", "公司已经三个月没有发工资了。").unwrap_err().message_for("kind").is_some());
        assert!(check("legal", "工资", "公司已经三个月没有发工资了。").unwrap_err().message_for("subject").is_some());
        assert!(check("legal", "工资拖欠", "没发工资").unwrap_err().message_for("body").is_some());
    }
}
