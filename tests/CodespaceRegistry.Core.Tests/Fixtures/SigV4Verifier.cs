using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>A request as SigV4 sees it: method, path, raw query, headers in arrival order, body.</summary>
    public sealed record SigV4Request(string Method, string Path, string Query, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
    {
        public string? Header(string name) =>
            Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
    }

    /// <summary>Why a signature was refused, in the words AWS uses.</summary>
    public enum SigV4Failure
    {
        None,
        Malformed,
        UnknownAccessKey,
        WrongService,
        WrongRegion,
        Expired,
        Mismatch,
    }

    public sealed record SigV4Result(SigV4Failure Failure, string AccessKeyId, string Message)
    {
        public bool IsValid => Failure == SigV4Failure.None;
    }

    /// <summary>
    /// Verifies an AWS Signature Version 4 the way an AWS service does, independently of the AWS SDK that made
    /// it: rebuilds the canonical request and the string to sign, derives the signing key from the secret
    /// (HMAC-SHA256 over date, region, service, "aws4_request"), compares, and checks the credential scope and
    /// that x-amz-date is within 5 minutes of the server's clock. Checked against AWS's published test suite.
    /// </summary>
    public static class SigV4Verifier
    {
        public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

        private static readonly Regex Authorization = new Regex(
            @"^AWS4-HMAC-SHA256 Credential=(?<key>[^/]+)/(?<date>\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request,\s*SignedHeaders=(?<headers>[a-z0-9;-]+),\s*Signature=(?<sig>[0-9a-f]{64})$",
            RegexOptions.CultureInvariant);

        public static SigV4Result Verify(SigV4Request request, Func<string, string?> secretFor, string service, string region, DateTimeOffset now)
        {
            var auth = Authorization.Match((request.Header("Authorization") ?? "").Trim());
            if (!auth.Success) return new SigV4Result(SigV4Failure.Malformed, "", "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.");
            var keyId = auth.Groups["key"].Value;
            var secret = secretFor(keyId);
            if (secret == null) return new SigV4Result(SigV4Failure.UnknownAccessKey, keyId, "The security token included in the request is invalid.");
            if (auth.Groups["service"].Value != service)
                return new SigV4Result(SigV4Failure.WrongService, keyId, $"Credential should be scoped to correct service: '{service}'. ");
            if (auth.Groups["region"].Value != region)
                return new SigV4Result(SigV4Failure.WrongRegion, keyId, $"Credential should be scoped to a valid region, not '{auth.Groups["region"].Value}'. ");

            var amzDate = (request.Header("X-Amz-Date") ?? "").Trim();
            if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt) ||
                !amzDate.StartsWith(auth.Groups["date"].Value, StringComparison.Ordinal))
            {
                return new SigV4Result(SigV4Failure.Malformed, keyId, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + amzDate + "'.");
            }
            if (signedAt < now - AllowedSkew)
                return new SigV4Result(SigV4Failure.Expired, keyId, $"Signature expired: {amzDate} is now earlier than {Stamp(now - AllowedSkew)} ({Stamp(now)} - 5 min.)");
            if (signedAt > now + AllowedSkew)
                return new SigV4Result(SigV4Failure.Expired, keyId, $"Signature not yet current: {amzDate} is still later than {Stamp(now + AllowedSkew)} ({Stamp(now)} + 5 min.)");

            var signedHeaders = auth.Groups["headers"].Value;
            var stringToSign = StringToSign(request, signedHeaders, amzDate, auth.Groups["date"].Value + "/" + region + "/" + service + "/aws4_request");
            var expected = Hex(Hmac(SigningKey(secret, auth.Groups["date"].Value, region, service), stringToSign));
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(auth.Groups["sig"].Value)))
            {
                return new SigV4Result(SigV4Failure.Mismatch, keyId,
                    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
            }
            return new SigV4Result(SigV4Failure.None, keyId, "");
        }

        public static string CanonicalRequest(SigV4Request request, string signedHeaders)
        {
            var names = signedHeaders.Split(';');
            var headers = new StringBuilder();
            foreach (var name in names)
            {
                var values = request.Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
                    .Select(h => Regex.Replace(h.Value.Trim(), " +", " "));
                headers.Append(name).Append(':').Append(string.Join(",", values)).Append('\n');
            }
            return request.Method + "\n" + CanonicalPath(request.Path) + "\n" + CanonicalQuery(request.Query) + "\n" +
                   headers + "\n" + signedHeaders + "\n" + Hex(SHA256.HashData(request.Body));
        }

        public static string StringToSign(SigV4Request request, string signedHeaders, string amzDate, string scope) =>
            "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalRequest(request, signedHeaders))));

        private static byte[] SigningKey(string secret, string date, string region, string service)
        {
            var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
            key = Hmac(key, region);
            key = Hmac(key, service);
            return Hmac(key, "aws4_request");
        }

        private static string CanonicalPath(string path) =>
            string.Join("/", (path.Length == 0 ? "/" : path).Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));

        private static string CanonicalQuery(string query)
        {
            if (string.IsNullOrEmpty(query)) return "";
            var pairs = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p =>
            {
                var eq = p.IndexOf('=');
                var name = Uri.UnescapeDataString(eq < 0 ? p : p.Substring(0, eq));
                var value = eq < 0 ? "" : Uri.UnescapeDataString(p.Substring(eq + 1));
                return (Name: Encode(name), Value: Encode(value));
            });
            return string.Join("&", pairs.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => p.Name + "=" + p.Value));
        }

        private static string Encode(string s)
        {
            var sb = new StringBuilder();
            foreach (var b in Encoding.UTF8.GetBytes(s))
            {
                var c = (char)b;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') sb.Append(c);
                else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }

        private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

        private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

        private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
    }
}
