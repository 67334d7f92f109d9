//! The end of the device's life: uploads acknowledged (NM-01, NM-04), and decommissioning
//! (LC-02).

use alloc::vec::Vec;

use super::{Device, Issued, Status};
use crate::document::{Content, Document};
use crate::error::Error;
use crate::time::Timestamp;

impl Device {
    /// Records that the tax service has received every document up to `through` (NM-01). When
    /// documents remain, the next one (`through + 1`) must be supplied: its time starts the
    /// 7-day clock (NM-04). An acknowledgement of what is already acknowledged changes nothing.
    pub fn acknowledge_upload(
        &mut self,
        through: u64,
        next_pending: Option<&Document>,
    ) -> Result<(), Error> {
        if through > self.state.last_number {
            return Err(Error::InvalidAcknowledgement(alloc::format!(
                "document {through} has not been issued; the last is {}",
                self.state.last_number
            )));
        }
        if through <= self.state.acknowledged {
            return Ok(());
        }
        let oldest = if through == self.state.last_number {
            None
        } else {
            let doc = next_pending.ok_or_else(|| {
                Error::InvalidAcknowledgement(alloc::format!(
                    "documents remain: supply document {}",
                    through + 1
                ))
            })?;
            if doc.number() != through + 1 || !doc.authentic(&self.key.public_key()) {
                return Err(Error::InvalidAcknowledgement(alloc::format!(
                    "the document supplied is not this device's document {}",
                    through + 1
                )));
            }
            Some(doc.body().time)
        };
        self.state.acknowledged = through;
        self.state.oldest_pending = oldest;
        Ok(())
    }

    /// Takes the device out of service (LC-02): only with the shift closed and every document
    /// uploaded. Issues the last document, which must itself be uploaded.
    pub fn decommission(&mut self, now: Timestamp) -> Result<Issued, Error> {
        self.ready(now, false)?;
        if self.state.shift.is_some() {
            return Err(Error::ShiftOpen);
        }
        if self.state.pending() > 0 {
            return Err(Error::PendingUploads {
                pending: self.state.pending(),
            });
        }
        let mut next = self.state.clone();
        let shift = next.last_shift;
        let document = self.emit(&mut next, Content::Decommission, now, shift, 0);
        next.status = Status::Decommissioned;
        self.state = next;
        Ok(Issued {
            document,
            warnings: Vec::new(),
        })
    }
}
