//! What a vendor shows its operator for each code, in Azerbaijani and English (issue #18).

use super::ErrorCode;

/// A language of the messages a vendor shows its operator ([`ErrorCode::message`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageLanguage {
    /// Azerbaijani (`az`).
    Azerbaijani,
    /// English (`en`).
    English,
}

impl MessageLanguage {
    /// The language of this tag: `az` or `en`.
    pub fn from_tag(tag: &str) -> Option<MessageLanguage> {
        match tag {
            "az" => Some(MessageLanguage::Azerbaijani),
            "en" => Some(MessageLanguage::English),
            _ => None,
        }
    }
}

impl ErrorCode {
    /// A short sentence for the operator's screen, one per code, in Azerbaijani or English
    /// (C `fc_status_message`). Unlike an error's own message it carries no detail (no path,
    /// no amount): show it, log the error's message and JSON.
    pub const fn message(self, language: MessageLanguage) -> &'static str {
        match language {
            MessageLanguage::Azerbaijani => self.message_az(),
            MessageLanguage::English => self.message_en(),
        }
    }

    const fn message_en(self) -> &'static str {
        use ErrorCode as C;
        match self {
            C::InvalidRequest => "The request is invalid.",
            C::MalformedJson => "The request is not valid JSON.",
            C::WrongType => "A field has the wrong type.",
            C::MissingField => "A required field is missing.",
            C::UnknownDocType => "Unknown document type.",
            C::FieldNotAllowed => "A field is not allowed for this document type.",
            C::UnsupportedCurrency => "Only AZN is accepted.",
            C::DuplicateMember => "A field appears twice.",
            C::UnknownMember => "The request has a field this format does not know.",
            C::UnknownOperation => "The operation of the request is unknown.",
            C::NotANumber => "A number is not written as a plain decimal.",
            C::NegativeValue => "An amount, quantity or price is negative.",
            C::TooManyDecimals => "Too many decimal places.",
            C::OutOfRange => "A value is out of its allowed range.",
            C::TextEmpty => "A text is empty.",
            C::TextTooLong => "A text is too long.",
            C::TextBadCharacter => "A text contains a character that is not allowed.",
            C::InvalidItemCode => "The item code is not valid for its code type.",
            C::InvalidReference => "A document reference is not a valid fiscal ID.",
            C::InvalidVehiclePlate => "The vehicle plate number is not valid.",
            C::InvalidEnumValue => "A coded value is not one of the allowed values.",
            C::NoLines => "The receipt has no items.",
            C::TooManyLines => "The receipt has too many items.",
            C::LineTotalMismatch => "An item total does not equal quantity × price.",
            C::UnknownTaxRate => "No such tax rate is in force on this date.",
            C::MarginExceedsLine => "The trade margin is larger than the item total.",
            C::MarginMismatch => "The trade margin does not match the tax treatment.",
            C::ConflictingAdjustment => "An item has both a discount and a markup.",
            C::SumMismatch => "The total does not match the items.",
            C::Underpaid => "The payment does not cover the total.",
            C::Overpaid => "The payment exceeds the total.",
            C::ChangeWithoutCash => "Change without a cash payment.",
            C::TenderedBelowCash => "The cash handed over is less than the cash payment.",
            C::ChangeMismatch => "The change is not calculated correctly.",
            C::PaymentFormNotAllowed => "This payment form is not allowed for this document.",
            C::VatAmountsMismatch => "The VAT amounts do not match the items.",
            C::ZeroTotal => "The total is zero.",
            C::MissingReference => "A required document reference is missing.",
            C::UnexpectedReference => "This document takes no reference.",
            C::TooManyReferences => "Too many document references.",
            C::DuplicateReference => "The same document is referenced twice.",
            C::InvalidInstalmentNumber => "The instalment number must be 1 or more.",
            C::MissingVehiclePlate => "A fuel-card payment needs the vehicle plate number.",
            C::InvalidCertificate => "The certificate is not valid.",
            C::CertificateSignature => "The certificate is not signed by the tax authority.",
            C::CertificateNotYetValid => "The certificate is not valid yet; check the clock.",
            C::CertificateExpired => "The certificate has expired, or the clock is wrong.",
            C::KeyMismatch => "The key does not belong to this certificate.",
            C::WrongPin => "Wrong PIN.",
            C::DeviceLocked => "The device is locked after too many wrong PINs.",
            C::NotUnlocked => "Enter the PIN first.",
            C::Decommissioned => "The device has been taken out of service.",
            C::ShiftAlreadyOpen => "A shift is already open.",
            C::NoOpenShift => "No shift is open.",
            C::ShiftTooLong => "The shift has lasted 24 hours: close it first.",
            C::TimeNotIncreasing => {
                "The time is not later than the last document's; check the clock."
            }
            C::OfflineTooLong => "Documents have not been uploaded for 7 days.",
            C::TooManyPending => "Too many documents are waiting for upload.",
            C::SequenceMismatch => "The last document number does not match; read the journal.",
            C::CashInsufficient => "Not enough cash in the drawer.",
            C::ShiftOpen => "Close the shift first.",
            C::PendingUploads => "Documents have not been uploaded yet.",
            C::InvalidAcknowledgement => "The upload acknowledgement does not fit.",
            C::ReferenceNotFound => "The referenced receipt was not found.",
            C::ReferenceNotAuthentic => "The referenced receipt is not signed by this device.",
            C::ReferenceWrongKind => "The referenced document is of the wrong kind.",
            C::CancelOutsideShift => "Only a receipt of the open shift can be cancelled.",
            C::AlreadyCancelled => "The receipt is already cancelled.",
            C::ReturnExceedsSale => "The return exceeds what was sold.",
            C::InstalmentExceedsDebt => "The instalment exceeds the debt.",
            C::DebtMismatch => "The remaining debt is wrong.",
            C::InstalmentNumberMismatch => "The instalment number is out of order.",
            C::AdvancesExceeded => "More advance is used than was paid.",
            C::TotalsOverflow => "The shift totals are out of range.",
            C::ReceiptInUse => "This receipt is used by later documents: return it instead.",
            C::InvalidState => "The saved device state cannot be read.",
            C::InvalidDocument => "The document or journal line cannot be read.",
            C::WrongFiscalId => "The fiscal ID does not match the document.",
            C::BadSignature => "The document's signature is not the device's.",
            C::NumberGap => "Documents are missing from the journal.",
            C::DuplicateDocument => "A document appears twice in the journal.",
            C::OutOfOrder => "Documents are out of order in the journal.",
            C::BrokenChain => "The document chain is broken.",
            C::OutsideShift => "A receipt outside an open shift.",
            C::ZReportMismatch => "The Z-report totals do not match the shift.",
            C::UnknownReference => "A reference to a document that is not in the journal.",
            C::ContentInvalid => "A receipt's content breaks the rules.",
            C::CounterMismatch => "A receipt counter or shift number is out of step.",
            C::EmptyJournal => "The journal has no document.",
            C::NoncanonicalLine => "A journal line is not written in its one form.",
            C::ForeignReference => "A receipt of the earlier system cannot be checked here.",
        }
    }

    const fn message_az(self) -> &'static str {
        use ErrorCode as C;
        match self {
            C::InvalidRequest => "Sorğu yanlışdır.",
            C::MalformedJson => "Sorğu düzgün JSON deyil.",
            C::WrongType => "Sahənin tipi yanlışdır.",
            C::MissingField => "Məcburi sahə yoxdur.",
            C::UnknownDocType => "Naməlum sənəd növü.",
            C::FieldNotAllowed => "Bu sənəd növü üçün sahəyə icazə verilmir.",
            C::UnsupportedCurrency => "Yalnız AZN qəbul edilir.",
            C::DuplicateMember => "Sahə iki dəfə göstərilib.",
            C::UnknownMember => "Sorğuda bu formatın tanımadığı sahə var.",
            C::UnknownOperation => "Sorğunun əməliyyatı naməlumdur.",
            C::NotANumber => "Rəqəm sadə onluq kəsr kimi yazılmayıb.",
            C::NegativeValue => "Məbləğ, miqdar və ya qiymət mənfidir.",
            C::TooManyDecimals => "Onluq rəqəmlər çoxdur.",
            C::OutOfRange => "Dəyər icazə verilən hədlərdən kənardadır.",
            C::TextEmpty => "Mətn boşdur.",
            C::TextTooLong => "Mətn çox uzundur.",
            C::TextBadCharacter => "Mətndə icazəsiz simvol var.",
            C::InvalidItemCode => "Mal kodu kod növünə uyğun deyil.",
            C::InvalidReference => "Sənəd istinadı düzgün fiskal ID deyil.",
            C::InvalidVehiclePlate => "Nəqliyyat vasitəsinin dövlət nömrəsi yanlışdır.",
            C::InvalidEnumValue => "Kodlu dəyər icazə verilən dəyərlərdən deyil.",
            C::NoLines => "Çekdə mal yoxdur.",
            C::TooManyLines => "Çekdə mal sətirləri çoxdur.",
            C::LineTotalMismatch => "Sətir məbləği miqdar × qiymətə bərabər deyil.",
            C::UnknownTaxRate => "Bu tarixdə belə vergi dərəcəsi qüvvədə deyil.",
            C::MarginExceedsLine => "Ticarət əlavəsi sətir məbləğindən böyükdür.",
            C::MarginMismatch => "Ticarət əlavəsi vergi rejiminə uyğun deyil.",
            C::ConflictingAdjustment => "Sətirdə həm endirim, həm də əlavə var.",
            C::SumMismatch => "Yekun məbləğ sətirlərə uyğun deyil.",
            C::Underpaid => "Ödəniş yekun məbləği örtmür.",
            C::Overpaid => "Ödəniş yekun məbləğdən çoxdur.",
            C::ChangeWithoutCash => "Nağd ödəniş olmadan qalıq qaytarılır.",
            C::TenderedBelowCash => "Verilən nağd pul nağd ödənişdən azdır.",
            C::ChangeMismatch => "Qalıq düzgün hesablanmayıb.",
            C::PaymentFormNotAllowed => "Bu ödəniş forması bu sənəd üçün icazəli deyil.",
            C::VatAmountsMismatch => "ƏDV məbləğləri sətirlərə uyğun deyil.",
            C::ZeroTotal => "Yekun məbləğ sıfırdır.",
            C::MissingReference => "Tələb olunan sənəd istinadı yoxdur.",
            C::UnexpectedReference => "Bu sənəd istinad qəbul etmir.",
            C::TooManyReferences => "Sənəd istinadları çoxdur.",
            C::DuplicateReference => "Eyni sənədə iki dəfə istinad edilib.",
            C::InvalidInstalmentNumber => "Ödəniş hissəsinin nömrəsi 1 və ya daha çox olmalıdır.",
            C::MissingVehiclePlate => "Yanacaq kartı ilə ödəniş üçün dövlət nömrəsi tələb olunur.",
            C::InvalidCertificate => "Sertifikat düzgün deyil.",
            C::CertificateSignature => "Sertifikat vergi orqanı tərəfindən imzalanmayıb.",
            C::CertificateNotYetValid => "Sertifikat hələ qüvvədə deyil; saatı yoxlayın.",
            C::CertificateExpired => "Sertifikatın müddəti bitib və ya saat yanlışdır.",
            C::KeyMismatch => "Açar bu sertifikata aid deyil.",
            C::WrongPin => "PIN yanlışdır.",
            C::DeviceLocked => "Çox sayda yanlış PIN-dən sonra cihaz bloklanıb.",
            C::NotUnlocked => "Əvvəlcə PIN daxil edin.",
            C::Decommissioned => "Cihaz istismardan çıxarılıb.",
            C::ShiftAlreadyOpen => "Növbə artıq açıqdır.",
            C::NoOpenShift => "Açıq növbə yoxdur.",
            C::ShiftTooLong => "Növbə 24 saatdır açıqdır: əvvəlcə onu bağlayın.",
            C::TimeNotIncreasing => "Vaxt sonuncu sənədin vaxtından gec deyil; saatı yoxlayın.",
            C::OfflineTooLong => "Sənədlər 7 gündür göndərilməyib.",
            C::TooManyPending => "Göndərilməyi gözləyən sənədlər çoxdur.",
            C::SequenceMismatch => "Sonuncu sənəd nömrəsi uyğun gəlmir; jurnalı yoxlayın.",
            C::CashInsufficient => "Kassada kifayət qədər nağd pul yoxdur.",
            C::ShiftOpen => "Əvvəlcə növbəni bağlayın.",
            C::PendingUploads => "Sənədlər hələ göndərilməyib.",
            C::InvalidAcknowledgement => "Göndərmə təsdiqi uyğun deyil.",
            C::ReferenceNotFound => "İstinad edilən çek tapılmadı.",
            C::ReferenceNotAuthentic => "İstinad edilən çek bu cihaz tərəfindən imzalanmayıb.",
            C::ReferenceWrongKind => "İstinad edilən sənədin növü yanlışdır.",
            C::CancelOutsideShift => "Yalnız açıq növbənin çeki ləğv edilə bilər.",
            C::AlreadyCancelled => "Çek artıq ləğv edilib.",
            C::ReturnExceedsSale => "Qaytarma satılandan çoxdur.",
            C::InstalmentExceedsDebt => "Ödəniş hissəsi borcdan çoxdur.",
            C::DebtMismatch => "Qalan borc yanlışdır.",
            C::InstalmentNumberMismatch => "Ödəniş hissəsinin nömrəsi ardıcıl deyil.",
            C::AdvancesExceeded => "Avansdan ödəniləndən çox istifadə edilir.",
            C::TotalsOverflow => "Növbə yekunları hədlərdən kənardadır.",
            C::ReceiptInUse => {
                "Bu çek sonrakı sənədlərdə istifadə olunub: onun əvəzinə qaytarma edin."
            }
            C::InvalidState => "Cihazın saxlanmış vəziyyəti oxunmur.",
            C::InvalidDocument => "Sənəd və ya jurnal sətri oxunmur.",
            C::WrongFiscalId => "Fiskal ID sənədə uyğun deyil.",
            C::BadSignature => "Sənədin imzası cihaza aid deyil.",
            C::NumberGap => "Jurnalda sənədlər çatışmır.",
            C::DuplicateDocument => "Sənəd jurnalda iki dəfə var.",
            C::OutOfOrder => "Jurnalda sənədlərin ardıcıllığı pozulub.",
            C::BrokenChain => "Sənəd zənciri qırılıb.",
            C::OutsideShift => "Çek açıq növbədən kənardadır.",
            C::ZReportMismatch => "Z-hesabatın yekunları növbəyə uyğun deyil.",
            C::UnknownReference => "Jurnalda olmayan sənədə istinad.",
            C::ContentInvalid => "Çekin məzmunu qaydalara ziddir.",
            C::CounterMismatch => "Çek sayğacı və ya növbə nömrəsi ardıcıl deyil.",
            C::EmptyJournal => "Jurnalda sənəd yoxdur.",
            C::NoncanonicalLine => "Jurnal sətri yeganə düzgün formada yazılmayıb.",
            C::ForeignReference => "Əvvəlki sistemin çeki burada yoxlanıla bilməz.",
        }
    }
}
