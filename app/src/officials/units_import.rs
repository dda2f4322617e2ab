//! The super admin's units import: the whole tree file is checked (any
//! problem refuses it, listed by line), previewed as new/changed counts, and
//! imported in one transaction on confirmation (audited).

use store::{Actor, Store};

use crate::error::AppError;

fn file_error(message: impl Into<String>) -> AppError {
    AppError::Rejected { status: 400, field: "file".into(), message: message.into() }
}

/// Reads and checks the file against the tree already there (its root must
/// be the same union).
async fn checked_tree(store: &Store, csv: &[u8]) -> Result<(domain::UnitTree, Vec<domain::Unit>), AppError> {
    let tree = crate::spreadsheet::read_units_file(csv).map_err(|e| file_error(e.to_string()))?;
    let existing = store.units().await.map_err(|e| AppError::from_store("units_import", e))?;
    if let Some(root) = existing.iter().find(|u| u.parent.is_none()) {
        if root.code != tree.root().code {
            return Err(file_error(format!(
                "文件的最上级单位 {} 与现有的最上级单位 {}（{}）不同",
                tree.root().code,
                root.code,
                root.name.as_ref()
            )));
        }
    }
    Ok((tree, existing))
}

/// The preview: how many units the file adds and changes.
pub async fn preview(store: &Store, csv: &[u8]) -> Result<String, AppError> {
    let (tree, existing) = checked_tree(store, csv).await?;
    let known: std::collections::HashMap<_, _> = existing.iter().map(|u| (&u.code, u)).collect();
    let new = tree.units().iter().filter(|u| !known.contains_key(&u.code)).count();
    let changed = tree.units().iter().filter(|u| known.get(&u.code).is_some_and(|k| *k != *u)).count();
    Ok(format!("检查通过：共 {} 个单位，将新增 {new} 个、更新 {changed} 个。请确认导入。", tree.units().len()))
}

/// Imports the file (checked again) in one transaction; audited.
pub async fn import(store: &Store, actor: &Actor, csv: &[u8]) -> Result<String, AppError> {
    let (tree, _) = checked_tree(store, csv).await?;
    let summary = store.import_units(&tree).await.map_err(|e| AppError::from_store("units_import", e))?;
    let what = format!("新增 {} 个，更新 {} 个", summary.inserted, summary.updated);
    store
        .audit(Some(actor.member_id), "导入单位", &what, "", None, crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("units_import", e))?;
    Ok(format!("导入完成：{what}单位。"))
}
