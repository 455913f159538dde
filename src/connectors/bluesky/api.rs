//! Authenticated XRPC calls on the account's PDS: every call carries the session's access
//! token; one refused for a stale token is sent once more after [`Session::renew`]. The
//! PDS serves `com.atproto.*` itself and proxies `app.bsky.*` to the AppView (and, with an
//! `atproto-proxy` header, `chat.bsky.*` to the chat service), as for any client.
//!
//! Also the repo helpers the connector needs (`getRecord`, `createRecord`, `putRecord`,
//! `deleteRecord` on the account's own repo).

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::session::{Session, Tokens};
use super::xrpc::{self, XrpcError};
use crate::connectors::http::{Answer, Call, HttpClient};
use crate::connectors::ConnectorError;

/// A record as `getRecord` gives it.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct RecordAnswer {
    pub uri: String,
    #[serde(default)]
    pub cid: Option<String>,
    #[serde(default)]
    pub value: Value,
}

/// What `createRecord`/`putRecord` answer.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct Written {
    pub uri: String,
    pub cid: String,
}

/// One account's authenticated XRPC client.
pub struct Api {
    http: HttpClient,
    session: Arc<Session>,
}

impl Api {
    /// An API over `http` (bound to the PDS, or to a chat service) with `session`'s tokens.
    pub fn new(http: HttpClient, session: Arc<Session>) -> Api {
        Api { http, session }
    }

    /// The session's tokens and identity (logging in if needed).
    pub async fn me(&self) -> Result<Arc<Tokens>, ConnectorError> {
        self.session.tokens(&self.http).await
    }

    /// New tokens after `stale` was refused by another service (the chat service).
    pub async fn renew(&self, stale: &Arc<Tokens>) -> Result<Arc<Tokens>, ConnectorError> {
        self.session.renew(&self.http, stale).await
    }

    /// Requests sent so far (logins included).
    pub fn requests(&self) -> u64 {
        self.http.requests()
    }

    /// Sends `call` with the access token; renews the session and sends it again once if
    /// the token was stale (a refused token means the call was not carried out).
    pub async fn send(&self, call: Call) -> Result<Answer, XrpcError> {
        let tokens = self.me().await?;
        match xrpc::send(&self.http, &call.clone().bearer(&tokens.access)).await {
            Err(XrpcError::Rejected(rejection)) if rejection.is_stale_session() => {
                tracing::debug!(%rejection, "stale session; renewing");
                let renewed = self.session.renew(&self.http, &tokens).await?;
                match xrpc::send(&self.http, &call.bearer(&renewed.access)).await {
                    Err(XrpcError::Rejected(again)) if again.is_stale_session() => {
                        Err(XrpcError::Failed(ConnectorError::Auth(format!(
                            "{again} after a new login"
                        ))))
                    }
                    other => other,
                }
            }
            other => other,
        }
    }

    /// Sends `call` and reads its answer as `T`.
    pub async fn call<T: DeserializeOwned>(&self, call: Call) -> Result<T, ConnectorError> {
        xrpc::read(&self.send(call).await?)
    }

    /// `com.atproto.repo.getRecord`: `None` when there is no such record.
    pub async fn get_record(
        &self,
        repo: &str,
        collection: &str,
        rkey: &str,
    ) -> Result<Option<RecordAnswer>, ConnectorError> {
        let call = xrpc::query("com.atproto.repo.getRecord")
            .query("repo", repo)
            .query("collection", collection)
            .query("rkey", rkey);
        match self.send(call).await {
            Ok(answer) => Ok(Some(xrpc::read(&answer)?)),
            Err(e) if e.rejected("RecordNotFound") => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// `com.atproto.repo.createRecord` in the account's repo, under `rkey` if given. Not
    /// repeated by the HTTP client: the caller decides (see `reply`).
    pub async fn create_record(
        &self,
        collection: &str,
        rkey: Option<&str>,
        record: Value,
    ) -> Result<Written, XrpcError> {
        let me = self.me().await?;
        let mut body = json!({ "repo": me.did, "collection": collection, "record": record });
        if let Some(rkey) = rkey {
            body["rkey"] = json!(rkey);
        }
        let call = xrpc::procedure("com.atproto.repo.createRecord", body, false);
        Ok(xrpc::read(&self.send(call).await?)?)
    }

    /// `com.atproto.repo.putRecord`: writes `record` under `rkey`, only over the version
    /// `swap` (its cid) when given, so a concurrent edit is not lost.
    pub async fn put_record(
        &self,
        collection: &str,
        rkey: &str,
        record: Value,
        swap: Option<&str>,
    ) -> Result<Written, XrpcError> {
        let me = self.me().await?;
        let mut body = json!({
            "repo": me.did, "collection": collection, "rkey": rkey, "record": record,
        });
        if let Some(cid) = swap {
            body["swapRecord"] = json!(cid);
        }
        // The same content again is the same outcome.
        let call = xrpc::procedure("com.atproto.repo.putRecord", body, swap.is_none());
        Ok(xrpc::read(&self.send(call).await?)?)
    }

    /// `com.atproto.repo.deleteRecord` (deleting what is gone already succeeds).
    pub async fn delete_record(&self, collection: &str, rkey: &str) -> Result<(), XrpcError> {
        let me = self.me().await?;
        let body = json!({ "repo": me.did, "collection": collection, "rkey": rkey });
        self.send(xrpc::procedure("com.atproto.repo.deleteRecord", body, true))
            .await
            .map(|_| ())
    }
}

/// The parts of an `at://REPO/COLLECTION/RKEY` URI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AtUri<'a> {
    pub repo: &'a str,
    pub collection: &'a str,
    pub rkey: &'a str,
}

impl<'a> AtUri<'a> {
    pub fn parse(uri: &'a str) -> Option<AtUri<'a>> {
        let mut parts = uri.strip_prefix("at://")?.split('/');
        let (repo, collection, rkey) = (parts.next()?, parts.next()?, parts.next()?);
        let ok = parts.next().is_none() && [repo, collection, rkey].iter().all(|p| !p.is_empty());
        ok.then_some(AtUri {
            repo,
            collection,
            rkey,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_uris_split_into_repo_collection_and_rkey() {
        let uri = "at://did:plc:lywjq27wkoqyzjolksqhvpah/app.bsky.feed.post/3n2vyz52gjs2q";
        assert_eq!(
            AtUri::parse(uri),
            Some(AtUri {
                repo: "did:plc:lywjq27wkoqyzjolksqhvpah",
                collection: "app.bsky.feed.post",
                rkey: "3n2vyz52gjs2q",
            })
        );
        assert_eq!(AtUri::parse("at://did:plc:x/app.bsky.feed.post"), None);
        assert_eq!(AtUri::parse("https://bsky.app/profile/x/post/y"), None);
        assert_eq!(AtUri::parse("at://did:plc:x/c/r/extra"), None);
    }
}
