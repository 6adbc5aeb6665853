using System;
using System.Text;
using System.Text.Json;

namespace CodespaceRegistry.Ecr
{
    /// <summary>
    /// Reads what an ECR authorization token (the docker password of user <c>AWS</c>) says about itself: it is
    /// base64 of a JSON document whose <c>expiration</c> is epoch seconds. No network call, no secret kept.
    /// </summary>
    public static class EcrAuthorizationToken
    {
        /// <summary>How long ECR says a token lives.</summary>
        public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

        public static bool TryReadExpiry(string? password, out DateTimeOffset expiresAt)
        {
            expiresAt = default;
            if (string.IsNullOrWhiteSpace(password)) return false;
            try
            {
                var json = Encoding.UTF8.GetString(Convert.FromBase64String(password!.Trim()));
                using var doc = JsonDocument.Parse(json);
                if (doc.RootElement.ValueKind != JsonValueKind.Object ||
                    !doc.RootElement.TryGetProperty("expiration", out var exp) ||
                    exp.ValueKind != JsonValueKind.Number ||
                    !exp.TryGetDouble(out var seconds))
                {
                    return false;
                }
                expiresAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
            catch (JsonException)
            {
                return false;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
