//! The gateways against fake Aliyun and Tencent servers that this test binary
//! starts on 127.0.0.1. Each fake checks a request's signature the way its
//! vendor documents it, with a verifier written here from the document, not
//! with the crate's signer: a signer and a verifier that share a mistake would
//! agree with each other and still be refused by the real gateway.

mod aliyun;
mod config;
mod fake;
mod tencent;
