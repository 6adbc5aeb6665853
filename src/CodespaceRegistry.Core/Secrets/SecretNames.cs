using System;
using System.Text.RegularExpressions;

namespace CodespaceRegistry.Secrets
{
    /// <summary>Which of a set's three secrets a name is.</summary>
    public enum SecretPart
    {
        Server,
        User,
        Password,
    }

    /// <summary>GitHub's naming rules for Codespaces secrets and the <c>&lt;ID&gt;_CONTAINER_REGISTRY_*</c> convention.</summary>
    public static class SecretNames
    {
        /// <summary>At most this many secrets per level.</summary>
        public const int MaxSecretsPerLevel = 100;

        /// <summary>At most this many bytes per value (48 KB).</summary>
        public const int MaxValueBytes = 48 * 1024;

        private static readonly Regex SetName = new Regex(@"^(?<id>.+)_CONTAINER_REGISTRY_(?<part>SERVER|USER|PASSWORD)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex NearMiss = new Regex(@"^(?<id>.+?)_CONTAINER_REGISTRY(?:_(?<part>[A-Z0-9_]+))?$|^(?<id>.+?)_REGISTRY_(?<part>SERVER|USER|PASSWORD)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex Allowed = new Regex(@"^[A-Za-z0-9_]+$", RegexOptions.CultureInvariant);

        /// <summary>Splits <c>ACME_CONTAINER_REGISTRY_USER</c> into <c>ACME</c> and <see cref="SecretPart.User"/>.</summary>
        public static bool TryParse(string secretName, out string id, out SecretPart part)
        {
            var m = SetName.Match(secretName ?? "");
            id = m.Success ? m.Groups["id"].Value : "";
            part = default;
            if (!m.Success) return false;
            part = (SecretPart)Enum.Parse(typeof(SecretPart), m.Groups["part"].Value, ignoreCase: true);
            return true;
        }

        public static string NameOf(string id, SecretPart part) => id + "_CONTAINER_REGISTRY_" + part.ToString().ToUpperInvariant();

        /// <summary>
        /// A name that looks meant for a set but is not one of the three (<c>ACME_CONTAINER_REGISTRY_USERNAME</c>,
        /// <c>ACME_REGISTRY_SERVER</c>): returns the name it should have been, or null.
        /// </summary>
        public static string? SuggestFor(string secretName, out string id)
        {
            id = "";
            if (TryParse(secretName, out _, out _)) return null;
            var m = NearMiss.Match(secretName ?? "");
            if (!m.Success) return null;
            id = m.Groups["id"].Value;
            var part = m.Groups["part"].Success ? m.Groups["part"].Value.ToUpperInvariant() : "";
            switch (part)
            {
                case "SERVER":
                case "URL":
                case "HOST":
                case "SERVER_URL":
                case "ADDRESS":
                case "REGISTRY":
                case "":
                    return NameOf(id, SecretPart.Server);
                case "USER":
                case "USERNAME":
                case "USER_NAME":
                case "LOGIN":
                case "ID":
                    return NameOf(id, SecretPart.User);
                case "PASSWORD":
                case "PASS":
                case "PWD":
                case "TOKEN":
                case "SECRET":
                case "KEY":
                case "ACCESS_TOKEN":
                    return NameOf(id, SecretPart.Password);
                default:
                    return null;
            }
        }

        /// <summary>Why GitHub would refuse this secret name, or null when it is a valid name.</summary>
        public static string? Validate(string secretName)
        {
            if (string.IsNullOrEmpty(secretName)) return "a secret name cannot be empty.";
            if (!Allowed.IsMatch(secretName)) return "secret names may contain only letters, digits and underscores.";
            if (char.IsDigit(secretName[0])) return "secret names must not start with a digit.";
            if (secretName.StartsWith("GITHUB_", StringComparison.OrdinalIgnoreCase)) return "secret names must not start with GITHUB_.";
            return null;
        }
    }
}
