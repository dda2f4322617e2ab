//! `/api/openapi.json`: the OpenAPI 3.1 description of every server function,
//! for app teams that generate their clients from it (docs/API.md is the
//! guide people read).
//!
//! Nothing here is written by hand per function: the path, method and
//! request encoding come from each function's `ServerFn` impl (what
//! `#[server]` generated), the arguments from its argument struct's
//! `Deserialize` ([`arguments`]), the answer from its `Output` type's
//! `utoipa::ToSchema` derive, and every error from [`AppError`]'s. What is
//! listed by hand is which functions there are, in [`document`]; the HTTP
//! test `every_api_route_is_in_the_openapi_document` walks the router's
//! table and fails when one is missing.

mod arguments;

use std::collections::{BTreeMap, BTreeSet};

use leptos::server_fn::codec::Encoding;
use leptos::server_fn::{ContentType, Http, ServerFn};
use serde::de::DeserializeOwned;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::tag::Tag;
use utoipa::openapi::{
    ComponentsBuilder, Content, InfoBuilder, ObjectBuilder, OpenApi, OpenApiBuilder, Paths, Ref, RefOr, Required,
    Response, ResponseBuilder, Schema, Type,
};
use utoipa::{PartialSchema, ToSchema};

use crate::error::AppError;
use crate::{
    accounts, activities, apps, benefits, card, certification, home, lessons, mailboxes, newsroom, officials, stats,
    voting, wishes,
};

/// The document, with `session_cookie` as the cookie sign-in sets.
pub fn document(session_cookie: &str) -> OpenApi {
    let mut document = Document::default();
    document.function::<accounts::api::LoadCurrentMember>();
    document.function::<accounts::api::SendRegisterCode>();
    document.function::<accounts::api::Register>();
    document.function::<accounts::api::Login>();
    document.function::<accounts::api::Logout>();
    document.function::<accounts::api::LogoutEverywhere>();
    document.function::<accounts::api::SendLoginCode>();
    document.function::<accounts::api::LoginWithCode>();
    document.function::<accounts::api::SendResetCode>();
    document.function::<accounts::api::ResetPassword>();
    document.function::<accounts::api::SendPhoneChangeCode>();
    document.function::<accounts::api::ChangePhone>();

    document.function::<activities::api::LoadSessions>();
    document.function::<activities::api::SignUp>();
    document.function::<activities::api::CancelSignUp>();
    document.function::<activities::api::LoadMySignups>();
    document.function::<activities::api::LoadSignup>();
    document.function::<activities::api::LoadActivitiesAdmin>();
    document.function::<activities::api::CreateActivity>();
    document.function::<activities::api::AddSession>();
    document.function::<activities::api::WithdrawActivity>();
    document.function::<activities::api::LoadAttendance>();
    document.function::<activities::api::CheckIn>();

    document.function::<benefits::api::LoadServices>();
    document.function::<benefits::api::ClaimBenefit>();
    document.function::<benefits::api::LoadClaim>();
    document.function::<benefits::api::LoadBenefitsAdmin>();
    document.function::<benefits::api::CreatePartner>();
    document.function::<benefits::api::CreateBenefit>();
    document.function::<benefits::api::WithdrawBenefit>();
    document.upload::<benefits::api::UploadBenefitPicture>();
    document.function::<benefits::api::LoadPartnerPage>();
    document.function::<benefits::api::PartnerSignIn>();
    document.function::<benefits::api::PartnerSignOut>();
    document.function::<benefits::api::RedeemCode>();

    document.function::<apps::api::AppSession>();
    document.function::<apps::api::RefreshAppSession>();
    document.function::<apps::api::EndAppSession>();
    document.function::<apps::api::LoadHostApps>();
    document.function::<apps::api::RegisterHostApp>();
    document.function::<apps::api::RevokeHostApp>();

    document.function::<card::api::LoadCard>();
    document.function::<card::api::CheckCard>();

    document.function::<certification::api::LoadMyRequest>();
    document.function::<certification::api::LoadReviewQueue>();
    document.function::<certification::api::ApproveRequest>();
    document.function::<certification::api::RejectRequest>();
    document.function::<certification::api::RevealRequestId>();
    document.function::<certification::api::Certify>();
    document.upload::<certification::api::RequestReview>();
    document.upload::<certification::api::PreviewRoster>();
    document.function::<certification::api::ConfirmRoster>();

    document.function::<home::api::LoadUnionProfile>();
    document.function::<home::api::LoadUnitDirectory>();

    document.function::<lessons::api::LoadCourses>();
    document.function::<lessons::api::LoadLesson>();
    document.function::<lessons::api::MarkRead>();
    document.function::<lessons::api::AnswerQuiz>();
    document.function::<lessons::api::LoadLessonsAdmin>();
    document.function::<lessons::api::CreateCourse>();
    document.function::<lessons::api::AddLesson>();

    document.function::<mailboxes::api::LoadMail>();
    document.function::<mailboxes::api::LoadLetter>();
    document.function::<mailboxes::api::LoadPublicQa>();
    document.function::<mailboxes::api::WriteLetter>();
    document.upload::<mailboxes::api::AttachLetterPhoto>();
    document.function::<mailboxes::api::RateLetter>();
    document.function::<mailboxes::api::LoadMailAdmin>();
    document.function::<mailboxes::api::AssignLetter>();
    document.function::<mailboxes::api::TransferLetter>();
    document.function::<mailboxes::api::AnswerLetter>();
    document.function::<mailboxes::api::SetCalendarDay>();
    document.function::<mailboxes::api::RemoveCalendarDay>();
    document.function::<mailboxes::api::SetMailDeadline>();
    document.function::<mailboxes::api::AddMailLawyer>();

    document.function::<newsroom::api::LoadFeed>();
    document.function::<newsroom::api::LoadChannel>();
    document.function::<newsroom::api::LoadArticle>();
    document.function::<newsroom::api::PublishStory>();
    document.function::<newsroom::api::CorrectArticle>();
    document.function::<newsroom::api::WithdrawArticle>();
    document.function::<newsroom::api::RepublishArticle>();
    document.function::<newsroom::api::DistributeArticle>();
    document.function::<newsroom::api::LikeArticle>();
    document.function::<newsroom::api::CommentArticle>();
    document.function::<newsroom::api::LoadInbox>();
    document.function::<newsroom::api::LoadTracking>();
    document.upload::<newsroom::api::UploadAssets>();
    document.function::<newsroom::api::LoadAssets>();
    document.function::<newsroom::api::LoadQuarterReport>();
    document.function::<newsroom::api::LoadLedger>();
    document.function::<newsroom::api::SetPaymentRate>();
    document.function::<newsroom::api::ReportStoryUp>();
    document.function::<newsroom::api::RecordOutsideAdoption>();
    document.function::<newsroom::api::CreateStoryCall>();
    document.function::<newsroom::api::LoadOpenCalls>();
    document.shaped::<newsroom::api::LoadCalls, CallsAnswer>();
    document.function::<newsroom::api::LoadDesk>();
    document.function::<newsroom::api::ApplyCorrespondent>();
    document.function::<newsroom::api::AppointCorrespondent>();
    document.function::<newsroom::api::LoadApplications>();
    document.function::<newsroom::api::ApproveCorrespondent>();
    document.function::<newsroom::api::RefuseCorrespondent>();
    document.function::<newsroom::api::LoadMyStories>();
    document.function::<newsroom::api::SubmitStory>();
    document.function::<newsroom::api::SaveDraft>();
    document.function::<newsroom::api::ResubmitStory>();
    document.function::<newsroom::api::LoadReviewQueue>();
    document.function::<newsroom::api::LoadAdopted>();
    document.function::<newsroom::api::ApproveStory>();
    document.function::<newsroom::api::TakeStory>();
    document.function::<newsroom::api::ReturnStory>();
    document.function::<newsroom::api::HoldStory>();
    document.function::<newsroom::api::RejectStory>();
    document.function::<newsroom::api::SetReviewChain>();
    document.function::<newsroom::api::GrantNewsroomRole>();
    document.shaped::<newsroom::api::LoadRoleUnits, RoleUnitsAnswer>();
    document.function::<newsroom::api::LoadStoryNotices>();
    document.function::<newsroom::api::LoadPendingComments>();
    document.function::<newsroom::api::ApproveComment>();
    document.function::<newsroom::api::RejectComment>();
    document.function::<newsroom::api::LoadWatchwords>();
    document.function::<newsroom::api::SetWatchWord>();
    document.function::<newsroom::api::RemoveWatchWord>();
    document.function::<newsroom::api::LoadOutward>();
    document.function::<newsroom::api::AddOutwardChannel>();
    document.function::<newsroom::api::PushArticle>();
    document.function::<newsroom::api::RetryDelivery>();
    document.function::<newsroom::api::LoadRank>();
    document.function::<newsroom::api::LoadDigest>();
    document.function::<newsroom::api::PublishDigest>();
    document.function::<newsroom::api::LoadScreen>();

    document.function::<officials::api::LoadAdminOverview>();
    document.function::<officials::api::AppointOfficial>();
    document.upload::<officials::api::PreviewUnits>();
    document.function::<officials::api::ImportUnits>();
    document.function::<officials::api::CheckUnitsAdmin>();
    document.function::<officials::api::LoadImportProgress>();

    document.function::<stats::api::LoadDashboard>();
    document.function::<stats::api::LoadRanking>();

    document.function::<voting::api::LoadCampaigns>();
    document.function::<voting::api::LoadAdminCampaigns>();
    document.function::<voting::api::LoadCampaign>();
    document.function::<voting::api::LoadStandings>();
    document.function::<voting::api::LoadCandidate>();
    document.function::<voting::api::Vote>();
    document.shaped::<voting::api::LoadFraudReport, FraudReportAnswer>();
    document.function::<voting::api::VoidVotes>();
    document.function::<voting::api::UndoVoid>();
    document.shaped::<voting::api::LoadResults, ResultsAnswer>();
    document.shaped::<voting::api::LoadCandidatesAdmin, CandidatesAdminAnswer>();
    document.function::<voting::api::CreateCampaign>();
    document.function::<voting::api::NominateCandidate>();
    document.function::<voting::api::ApproveSignUp>();
    document.function::<voting::api::RejectSignUp>();
    document.upload::<voting::api::UploadCover>();
    document.upload::<voting::api::UploadCandidatePhoto>();
    document.function::<voting::api::SignUp>();
    document.upload::<voting::api::SubmitEntry>();
    document.function::<voting::api::SetAward>();
    document.function::<voting::api::PublishAwards>();
    document.function::<voting::api::SaveExpertScores>();

    document.function::<wishes::api::LoadWishes>();
    document.function::<wishes::api::LoadWish>();
    document.function::<wishes::api::PostWish>();
    document.function::<wishes::api::ClaimWish>();
    document.function::<wishes::api::LoadWishesAdmin>();
    document.function::<wishes::api::PostWishFor>();
    document.function::<wishes::api::ApproveWish>();
    document.function::<wishes::api::RejectWish>();
    document.function::<wishes::api::ClaimWishFor>();
    document.upload::<wishes::api::ConfirmWish>();
    document.finish(session_cookie)
}

/// What `utoipa` cannot derive a schema for: tuples. Each answer that is one
/// (a JSON array of fixed length) gets a one-field struct restating it;
/// `Shape::Of` must be the function's `Output`, so a changed answer type
/// fails to compile here instead of being described wrongly.
trait Shape: ToSchema {
    type Of;
}

macro_rules! shapes {
    ($($(#[$doc:meta])* $name:ident($ty:ty);)*) => {$(
        $(#[$doc])*
        #[derive(ToSchema)]
        #[allow(dead_code)] // only its schema is read
        struct $name($ty);

        impl Shape for $name {
            type Of = $ty;
        }
    )*};
}

shapes! {
    /// `[call, targets]` per story call.
    CallsAnswer(Vec<(newsroom::api::CallView, Vec<newsroom::api::CallTargetView>)>);
    /// `[code, name]` per unit the official works for.
    RoleUnitsAnswer(Vec<(String, String)>);
    FraudReportAnswer((voting::api::CampaignCard, voting::api::FraudReport));
    ResultsAnswer((voting::api::CampaignCard, i64, Vec<voting::api::ResultRow>));
    /// The campaign, its candidates, and `[code, name]` per unit it may use.
    CandidatesAdminAnswer((voting::api::CampaignCard, Vec<voting::api::CandidateRow>, Vec<(String, String)>));
}

/// A server function's HTTP shape, from its `Http<Input, Output>` protocol.
trait Transport {
    const METHOD: http::Method;
    /// The request body's (or, for GET, the query's) encoding.
    const REQUEST: &'static str;
    const ANSWER: &'static str;
}

impl<I: Encoding, O: Encoding> Transport for Http<I, O> {
    const METHOD: http::Method = I::METHOD;
    const REQUEST: &'static str = <I as ContentType>::CONTENT_TYPE;
    const ANSWER: &'static str = <O as ContentType>::CONTENT_TYPE;
}

/// How a function takes its arguments.
enum Arguments {
    /// Named fields, traced from the argument struct.
    Fields(Vec<arguments::Argument>),
    /// A multipart upload: the function reads the parts itself, so its
    /// type says only "multipart"; docs/API.md names the parts.
    Multipart,
}

/// The errors every function may answer, each with [`AppError`] as its body.
/// Which ones a given function uses is in its code, not its type, so each
/// lists them all.
const ERRORS: [(&str, &str, &str); 8] = [
    ("400", "BadRequest", "输入有误 (`Rejected`; `field` names the form field, empty for the whole form)"),
    ("401", "Unauthorized", "未登录或凭据错误 (`Rejected`)"),
    ("403", "Forbidden", "无权操作，例如未实名认证或不在管辖范围 (`Rejected`)"),
    ("404", "NotFound", "不存在 (`Rejected`)"),
    ("409", "Conflict", "已存在或状态不允许 (`Rejected`)"),
    ("429", "TooManyRequests", "尝试过于频繁 (`Rejected`)"),
    ("500", "InternalError", "服务器内部错误 (`Internal`)"),
    ("503", "Unavailable", "数据库等依赖暂不可用，稍后重试 (`Unavailable`)"),
];

#[derive(Default)]
struct Document {
    paths: Paths,
    tags: BTreeSet<String>,
    operation_ids: BTreeSet<String>,
    /// Named schemas the answers refer to, as `utoipa` collects them.
    schemas: Vec<(String, RefOr<Schema>)>,
}

impl Document {
    /// A function that takes named arguments and answers a `ToSchema` type.
    fn function<F>(&mut self)
    where
        F: ServerFn + DeserializeOwned,
        F::Protocol: Transport,
        F::Output: ToSchema,
    {
        let answer = self.answer::<F::Output>();
        self.add::<F>(Arguments::Fields(traced::<F>()), answer);
    }

    /// A function whose answer is a tuple, described through `S`.
    fn shaped<F, S>(&mut self)
    where
        F: ServerFn + DeserializeOwned,
        F::Protocol: Transport,
        S: Shape<Of = F::Output>,
    {
        S::schemas(&mut self.schemas);
        self.add::<F>(Arguments::Fields(traced::<F>()), S::schema());
    }

    /// A multipart upload.
    fn upload<F>(&mut self)
    where
        F: ServerFn,
        F::Protocol: Transport,
        F::Output: ToSchema,
    {
        let answer = self.answer::<F::Output>();
        self.add::<F>(Arguments::Multipart, answer);
    }

    /// The schema of answer type `T`: a `$ref` to our own named types (so
    /// generated clients name them too), inline for `String`, `Vec<_>` and
    /// the like.
    fn answer<T: ToSchema>(&mut self) -> RefOr<Schema> {
        T::schemas(&mut self.schemas);
        let type_name = std::any::type_name::<T>();
        let ours = (type_name.starts_with("app::") || type_name.starts_with("domain::")) && !type_name.contains('<');
        if ours {
            self.schemas.push((T::name().into_owned(), T::schema()));
            RefOr::Ref(Ref::from_schema_name(T::name()))
        } else {
            T::schema()
        }
    }

    fn add<F>(&mut self, arguments: Arguments, answer: RefOr<Schema>)
    where
        F: ServerFn,
        F::Protocol: Transport,
    {
        let tag = feature::<F>();
        let id = operation_id::<F>();
        assert!(self.operation_ids.insert(id.clone()), "two functions have the operation id {id}");
        let mut operation = OperationBuilder::new().operation_id(Some(id)).tag(tag);
        let method = <F::Protocol as Transport>::METHOD;
        match arguments {
            // Nothing to send: no parameters and no body.
            Arguments::Fields(fields) if fields.is_empty() => {}
            Arguments::Fields(fields) if method == http::Method::GET => {
                for field in fields {
                    let required = if field.required { Required::True } else { Required::False };
                    operation = operation.parameter(
                        ParameterBuilder::new()
                            .name(field.name)
                            .parameter_in(ParameterIn::Query)
                            .required(required)
                            .schema(Some(field.schema)),
                    );
                }
            }
            Arguments::Fields(fields) => {
                let mut body = ObjectBuilder::new().schema_type(Type::Object);
                for field in &fields {
                    body = body.property(field.name, field.schema.clone());
                    if field.required {
                        body = body.required(field.name);
                    }
                }
                operation = operation.request_body(Some(
                    RequestBodyBuilder::new()
                        .required(Some(Required::True))
                        .content(<F::Protocol as Transport>::REQUEST, Content::new(Some(body)))
                        .build(),
                ));
            }
            Arguments::Multipart => {
                let parts = ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .description(Some("The parts the page's upload form sends; docs/API.md names them."));
                operation = operation.request_body(Some(
                    RequestBodyBuilder::new()
                        .required(Some(Required::True))
                        .content(<F::Protocol as Transport>::REQUEST, Content::new(Some(parts)))
                        .build(),
                ));
            }
        }
        let ok = ResponseBuilder::new()
            .description("成功")
            .content(<F::Protocol as Transport>::ANSWER, Content::new(Some(answer)))
            .build();
        operation = operation.response("200", ok);
        for (status, name, _) in ERRORS {
            operation = operation.response(status, Ref::from_response_name(name));
        }
        let method = http_method(&method);
        let previous = self.paths.paths.insert(F::PATH.to_owned(), PathItem::new(method, operation.build()));
        assert!(previous.is_none(), "{} is listed twice", F::PATH);
        self.tags.insert(tag.to_owned());
    }

    fn finish(self, session_cookie: &str) -> OpenApi {
        // Schemas are named by the bare Rust type name; two types of one name
        // in different features would otherwise overwrite each other unseen.
        let mut named = BTreeMap::new();
        for (name, schema) in self.schemas {
            if let Some(other) = named.insert(name.clone(), schema.clone()) {
                assert!(other == schema, "two answer types are named {name}: give one #[schema(as = …)]");
            }
        }
        let mut components = ComponentsBuilder::new()
            .schemas_from_iter(named)
            .schema(AppError::name(), AppError::schema())
            .security_scheme(
                "bearerAuth",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some("An app's session token, as `Authorization: Bearer …`."))
                        .build(),
                ),
            )
            .security_scheme(
                "cookieAuth",
                SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                    session_cookie,
                    "The session cookie a browser gets at sign-in (HttpOnly).",
                ))),
            );
        for (_, name, description) in ERRORS {
            components = components.response(name, error_response(description));
        }
        OpenApiBuilder::new()
            .info(
                InfoBuilder::new()
                    .title("Gonghui API")
                    .version(env!("CARGO_PKG_VERSION"))
                    .description(Some(DESCRIPTION))
                    .build(),
            )
            .paths(self.paths)
            .components(Some(components.build()))
            // Signed out is allowed everywhere: a function that needs a
            // member answers 401 itself.
            .security(Some([
                SecurityRequirement::default(),
                SecurityRequirement::new("bearerAuth", Vec::<String>::new()),
                SecurityRequirement::new("cookieAuth", Vec::<String>::new()),
            ]))
            .tags(Some(self.tags.into_iter().map(Tag::new)))
            .build()
    }
}

const DESCRIPTION: &str = "Every server function of Gonghui, generated from its Rust types. \
Form and query fields are encoded as `serde_qs` reads them: a list as `name[0]=a&name[1]=b`, \
a map as `name[key]=value`. Errors are the `AppError` JSON with the HTTP status it names. \
docs/API.md explains each function's rules.";

fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", Content::new(Some(Ref::from_schema_name(AppError::name()))))
        .build()
}

/// The argument struct's fields; a struct the tracer cannot follow is a bug
/// in this module, so it panics with the function's path (the HTTP test
/// builds the document).
fn traced<F: ServerFn + DeserializeOwned>() -> Vec<arguments::Argument> {
    arguments::arguments::<F>().unwrap_or_else(|error| panic!("{}: arguments not traced: {error}", F::PATH))
}

/// The feature folder a function is in (`app::card::api::LoadCard` → `card`):
/// the document's tags.
fn feature<F>() -> &'static str {
    std::any::type_name::<F>().split("::").nth(1).unwrap_or("app")
}

/// `app::card::api::LoadCard` → `card_load_card`: the feature and the Rust
/// function's name (voting and activities both have a `sign_up`, and
/// operation ids must be unique in a document).
fn operation_id<F>() -> String {
    let type_name = std::any::type_name::<F>();
    let name = type_name.rsplit("::").next().unwrap_or(type_name);
    let mut id = feature::<F>().to_owned();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            id.push('_');
        }
        id.push(c.to_ascii_lowercase());
    }
    id
}

fn http_method(method: &http::Method) -> HttpMethod {
    match *method {
        http::Method::GET => HttpMethod::Get,
        http::Method::PUT => HttpMethod::Put,
        http::Method::DELETE => HttpMethod::Delete,
        http::Method::PATCH => HttpMethod::Patch,
        _ => HttpMethod::Post,
    }
}
