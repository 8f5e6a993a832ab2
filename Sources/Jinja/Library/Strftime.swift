import Foundation

/// Python `datetime.strftime` (C locale, glibc flavour) for `strftime_now`, evaluated in UTC.
enum Strftime {
    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December"
    ]

    struct Fields {
        let year, month, day, hour, minute, second, microsecond: Int
        /// 0 = Sunday.
        let weekday: Int
        /// 1-based day of the year.
        let yearDay: Int
        let isoYear, isoWeek: Int
    }

    static func fields(_ date: Date) -> Fields {
        var calendar = Calendar(identifier: .gregorian)
        let utc = TimeZone(secondsFromGMT: 0) ?? TimeZone.current
        calendar.timeZone = utc
        let c = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second, .nanosecond, .weekday], from: date)
        let yearDay = calendar.ordinality(of: .day, in: .year, for: date) ?? 1
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = utc
        let isoParts = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return Fields(
            year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1, hour: c.hour ?? 0, minute: c.minute ?? 0,
            second: c.second ?? 0, microsecond: (c.nanosecond ?? 0) / 1000, weekday: ((c.weekday ?? 1) - 1),
            yearDay: yearDay, isoYear: isoParts.yearForWeekOfYear ?? (c.year ?? 1970),
            isoWeek: isoParts.weekOfYear ?? 1)
    }

    static func format(_ format: String, date: Date) -> String {
        let f = fields(date)
        var out = ""
        var chars = Array(format.unicodeScalars)[...]
        while let c = chars.popFirst() {
            guard c == "%", let next = chars.first else {
                out.unicodeScalars.append(c)
                continue
            }
            chars.removeFirst()
            var code = next
            var pad = true
            if code == "-", let flagged = chars.first {
                pad = false
                code = flagged
                chars.removeFirst()
            }
            if let text = field(code, f, pad: pad) {
                out += text
            } else {
                out += pad ? "%" + String(code) : "%-" + String(code)
            }
        }
        return out
    }

    static func number(_ value: Int, width: Int, pad: Bool, fill: String = "0") -> String {
        let digits = String(value)
        guard pad, digits.count < width else { return digits }
        return String(repeating: fill, count: width - digits.count) + digits
    }

    static func field(_ code: Unicode.Scalar, _ f: Fields, pad: Bool) -> String? {
        let hour12 = f.hour % 12 == 0 ? 12 : f.hour % 12
        switch code {
        case "a": return String(weekdays[f.weekday].prefix(3))
        case "A": return weekdays[f.weekday]
        case "b", "h": return String(months[f.month - 1].prefix(3))
        case "B": return months[f.month - 1]
        case "d": return number(f.day, width: 2, pad: pad)
        case "e": return number(f.day, width: 2, pad: pad, fill: " ")
        case "m": return number(f.month, width: 2, pad: pad)
        case "y": return number(f.year % 100, width: 2, pad: pad)
        case "Y": return String(f.year)
        case "H": return number(f.hour, width: 2, pad: pad)
        case "I": return number(hour12, width: 2, pad: pad)
        case "k": return number(f.hour, width: 2, pad: pad, fill: " ")
        case "l": return number(hour12, width: 2, pad: pad, fill: " ")
        case "M": return number(f.minute, width: 2, pad: pad)
        case "S": return number(f.second, width: 2, pad: pad)
        case "f": return number(f.microsecond, width: 6, pad: true)
        case "p": return f.hour < 12 ? "AM" : "PM"
        case "P": return f.hour < 12 ? "am" : "pm"
        case "j": return number(f.yearDay, width: 3, pad: pad)
        case "w": return String(f.weekday)
        case "u": return String(f.weekday == 0 ? 7 : f.weekday)
        case "U": return number((f.yearDay - 1 + 7 - f.weekday) / 7, width: 2, pad: pad)
        case "W": return number((f.yearDay - 1 + 7 - (f.weekday + 6) % 7) / 7, width: 2, pad: pad)
        case "G": return String(f.isoYear)
        case "V": return number(f.isoWeek, width: 2, pad: pad)
        case "C": return number(f.year / 100, width: 2, pad: pad)
        case "z": return "+0000"
        case "Z": return "UTC"
        case "c":
            return "\(weekdays[f.weekday].prefix(3)) \(months[f.month - 1].prefix(3)) "
                + "\(number(f.day, width: 2, pad: true, fill: " ")) \(time(f)) \(f.year)"
        case "x":
            return "\(number(f.month, width: 2, pad: true))/\(number(f.day, width: 2, pad: true))/"
                + number(f.year % 100, width: 2, pad: true)
        case "X", "T": return time(f)
        case "D": return field("x", f, pad: true)
        case "F": return "\(f.year)-\(number(f.month, width: 2, pad: true))-\(number(f.day, width: 2, pad: true))"
        case "R": return "\(number(f.hour, width: 2, pad: true)):\(number(f.minute, width: 2, pad: true))"
        case "n": return "\n"
        case "t": return "\t"
        case "%": return "%"
        default: return nil
        }
    }

    static func time(_ f: Fields) -> String {
        "\(number(f.hour, width: 2, pad: true)):\(number(f.minute, width: 2, pad: true)):"
            + number(f.second, width: 2, pad: true)
    }
}
