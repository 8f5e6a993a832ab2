import AsyncHTTPClient
import Foundation

extension RemoteError {
    /// The `RemoteError` an error from the HTTP stack stands for. SwiftNIO reports connection
    /// failures as several types (`NIOConnectionError`, `IOError`, `ChannelError`, NIOSSL's
    /// errors); their descriptions name the cause, which is what is matched here.
    static func from(_ error: any Error, host: String, stallSeconds: Int) -> RemoteError {
        if let remote = error as? RemoteError { return remote }
        if let http = error as? HTTPClientError {
            switch http {
            case .readTimeout: return .stalled(host: host, seconds: stallSeconds)
            case .remoteConnectionClosed: return .connectionLost(host: host)
            case .connectTimeout: return .unreachable(host: host, reason: "connecting timed out")
            case .tlsHandshakeTimeout: return .tls(host: host, reason: "the TLS handshake timed out")
            default: break
            }
        }
        let text = String(describing: error)
        let lower = text.lowercased()
        if lower.contains("connection refused") || lower.contains("connectionrefused") || lower.contains("econnrefused")
        {
            return .connectionRefused(host: host)
        }
        if lower.contains("dns") || lower.contains("nodename nor servname")
            || lower.contains("name or service not known")
            || lower.contains("unknown host") || lower.contains("nxdomain")
        {
            return .unknownHost(host: host)
        }
        if lower.contains("ssl") || lower.contains("tls") || lower.contains("certificate")
            || lower.contains("handshake")
        {
            return .tls(host: host, reason: clip(text))
        }
        if lower.contains("eof") || lower.contains("connection reset") || lower.contains("closed") {
            return .connectionLost(host: host)
        }
        return .unreachable(host: host, reason: clip(text))
    }
}
