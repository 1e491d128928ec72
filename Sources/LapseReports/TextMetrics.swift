import Foundation

/// The width of a label in pixels, for laying charts out without a font engine.
///
/// The charts' font stack is `system-ui, sans-serif`. Of the fonts it resolves to, DejaVu Sans
/// (Debian's default, and what headless Chromium uses in CI) is the widest, so the per-character
/// widths below are DejaVu Sans's advance widths (in ems) grouped by character class, rounded
/// up; Segoe UI, Roboto, San Francisco and Helvetica are narrower. A margin of 8 % on top covers
/// kerning, hinting and rounding. Every label the charts place is measured with this, and
/// `scripts/check-html-report` checks the result in Chromium.
func textWidth(_ s: String, size: Double = 11, bold: Bool = false) -> Double {
    var ems = 0.0
    for scalar in s.unicodeScalars {
        ems += emWidth(scalar)
    }
    return ems * size * (bold ? 1.12 : 1) * 1.08
}

private func emWidth(_ c: Unicode.Scalar) -> Double {
    return switch c {
    case " ", ".", ",", ":", ";", "'", "|", "!", "i", "j", "l", "I", "(", ")", "[", "]", "·": 0.34
    case "f", "t", "r", "-", "/", "\"": 0.42
    case "0"..."9": 0.64
    case "m", "w": 0.98
    case "M", "W": 1.0
    case "A"..."Z": 0.77
    case "a"..."z": 0.64
    case "–", "—", "…", "→", "≈", "%", "&", "@": 1.0
    // Combining marks and format characters take no room; wide scripts a full em.
    case _ where c.properties.generalCategory == .nonspacingMark || c.properties.generalCategory == .format: 0
    default: c.value >= 0x1100 ? 1.0 : 0.7
    }
}

/// The longest prefix of `s` that fits in `width` pixels, with an ellipsis when cut.
func fitted(_ s: String, width: Double, size: Double = 11, bold: Bool = false) -> String {
    guard textWidth(s, size: size, bold: bold) > width else { return s }
    var out = ""
    for ch in s {
        if textWidth(out + String(ch) + "…", size: size, bold: bold) > width { break }
        out.append(ch)
    }
    return out.trimmingCharacters(in: .whitespaces) + "…"
}
