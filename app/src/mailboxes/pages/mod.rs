//! 信箱 pages: the member's `/services/mail` (write, their letters),
//! `/services/mail/{id}` (a letter for its writer or a handler),
//! `/services/faq` (the public Q&A) and the handlers' `/admin/mail`.

pub mod admin;
pub mod member;
