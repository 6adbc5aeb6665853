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

        /// <summary>
        /// Epoch seconds (with a fraction, as ECR writes them) as a time; false for what is no time at all (NaN,
        /// infinities, ±1e300: before 1970 or after 9999), so that no answer can make the conversion throw.
        /// </summary>
        public static bool TryFromEpochSeconds(double seconds, out DateTimeOffset time)
        {
            const double maxSeconds = 253402300799; // 9999-12-31T23:59:59Z
            time = default;
            if (double.IsNaN(seconds) || seconds < 0 || seconds > maxSeconds) return false;
            time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
            return true;
        }

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
                return TryFromEpochSeconds(seconds, out expiresAt);
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
