using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.DockerConfig
{
    /// <summary>
    /// One credential file (docker config.json or containers auth.json) as a JSON tree, so that every field this
    /// code does not know survives a write untouched. Reads <c>auths</c>, <c>credsStore</c> and <c>credHelpers</c>;
    /// a file that does not parse is an error, never an empty config.
    /// </summary>
    internal sealed class DockerConfigFile
    {
        private const string UnreadableErrorId = "DockerConfigUnreadable";
        private const string Auths = "auths";
        private const string CredsStoreField = "credsStore";
        private const string CredHelpersField = "credHelpers";

        // The fields of an auths entry that carry a credential (docker's AuthConfig); others (such as email) are kept.
        private static readonly string[] CredentialFields = { "auth", "username", "password", "identitytoken", "registrytoken" };

        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            Indented = true,
            IndentCharacter = '\t', // as docker writes it
            IndentSize = 1,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file, not HTML: keep base64's '+' readable
        };

        private readonly JsonObject _root;

        private DockerConfigFile(DockerConfigLocation location, JsonObject root, bool exists)
        {
            Location = location;
            _root = root;
            Exists = exists;
        }

        public DockerConfigLocation Location { get; }

        public bool Exists { get; }

        /// <summary>The file's name for messages: "docker config '/home/u/.docker/config.json'".</summary>
        public static string Describe(DockerConfigLocation location) =>
            (location.Format == CredentialFileFormat.Docker ? "docker config" : "containers auth file") + $" '{location.Path}'";

        /// <summary>Reads the file; a missing or empty file is an empty config (as docker treats it).</summary>
        /// <exception cref="RegistryException"><c>DockerConfigUnreadable</c> when it cannot be read or parsed.</exception>
        public static DockerConfigFile Read(DockerConfigLocation location)
        {
            var bytes = LocalFile.ReadBytes(location.Path, "The " + Describe(location), UnreadableErrorId);
            return bytes == null ? new DockerConfigFile(location, new JsonObject(), exists: false) : Parse(location, bytes);
        }

        internal static DockerConfigFile Parse(DockerConfigLocation location, byte[] bytes)
        {
            var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            var text = new ReadOnlySpan<byte>(bytes, start, bytes.Length - start);
            if (IsBlank(text)) return new DockerConfigFile(location, new JsonObject(), exists: true);
            LocalFile.DecodeUtf8(bytes, "The " + Describe(location), UnreadableErrorId);
            if (!JsonStrings.AllReadable(text, default)) throw Unreadable(location, "holds a string that is not text (an escaped lone surrogate such as \\ud800)", null);

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException ex)
            {
                var where = ex.LineNumber is long line
                    ? $" at line {line + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}"
                    : "";
                throw Unreadable(location, $"is not valid JSON{where}", ex);
            }
            if (!(node is JsonObject root)) throw Unreadable(location, "is not a JSON object", null);

            var config = new DockerConfigFile(location, root, exists: true);
            config.Validate();
            return config;
        }

        private static bool IsBlank(ReadOnlySpan<byte> text)
        {
            foreach (var b in text)
            {
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n') return false;
            }
            return true;
        }

        private static RegistryException Unreadable(DockerConfigLocation location, string problem, Exception? inner) =>
            new RegistryException(UnreadableErrorId, ErrorKind.InvalidData,
                $"The {Describe(location)} {problem}. It was left exactly as it is. Correct the file (or move it aside so " +
                "that a new one is written), then try again.", inner);

        // The parts this code reads must have docker's shape; anything else in the file is only carried along.
        private void Validate()
        {
            try
            {
                if (_root[Auths] is JsonNode auths)
                {
                    if (!(auths is JsonObject entries)) throw Unreadable(Location, "has an \"auths\" that is not an object", null);
                    foreach (var entry in entries)
                    {
                        if (!(entry.Value is JsonObject))
                            throw Unreadable(Location, $"has an \"auths\" entry \"{entry.Key}\" that is not an object", null);
                    }
                }
                if (_root[CredsStoreField] is JsonNode store && !IsString(store))
                    throw Unreadable(Location, "has a \"credsStore\" that is not a string", null);
                if (_root[CredHelpersField] is JsonNode helpers)
                {
                    if (!(helpers is JsonObject map)) throw Unreadable(Location, "has a \"credHelpers\" that is not an object", null);
                    foreach (var helper in map)
                    {
                        if (helper.Value == null || !IsString(helper.Value))
                            throw Unreadable(Location, $"has a \"credHelpers\" entry \"{helper.Key}\" that is not a string", null);
                    }
                }
            }
            catch (ArgumentException ex)
            {
                throw Unreadable(Location, "names the same key twice in one object", ex);
            }
        }

        private static bool IsString(JsonNode node) => node.GetValueKind() == JsonValueKind.String;

        /// <summary>The credsStore helper; containers-auth.json has none (the containers tools ignore it).</summary>
        public string? CredsStore =>
            Location.Format == CredentialFileFormat.Docker && _root[CredsStoreField] is JsonNode node && node.GetValue<string>().Length > 0
                ? node.GetValue<string>()
                : null;

        /// <summary>The credHelpers entries, key → helper name.</summary>
        public IEnumerable<KeyValuePair<string, string>> CredHelpers =>
            _root[CredHelpersField] is JsonObject map
                ? map.Select(p => new KeyValuePair<string, string>(p.Key, p.Value!.GetValue<string>()))
                : Enumerable.Empty<KeyValuePair<string, string>>();

        public IEnumerable<string> AuthKeys =>
            _root[Auths] is JsonObject auths ? auths.Select(p => p.Key).ToList() : Enumerable.Empty<string>();

        /// <summary>The <c>auths</c> keys the tool would read for the server, the exact key first.</summary>
        public IReadOnlyList<string> AuthKeysFor(RegistryServer server)
        {
            if (!(_root[Auths] is JsonObject auths)) return Array.Empty<string>();
            var own = ConfigKeys.For(server, Location.Format);
            return auths.Select(p => p.Key)
                .Where(k => ConfigKeys.Matches(k, server, Location.Format))
                .OrderBy(k => k == own ? 0 : 1)
                .ToList();
        }

        /// <summary>True when the entry holds a credential (docker's credential-helper marker <c>{}</c> holds none).</summary>
        public bool HasCredential(string key) =>
            Entry(key) is JsonObject entry && CredentialFields.Any(f => entry[f] is JsonNode v && IsString(v) && v.GetValue<string>().Length > 0);

        /// <summary>
        /// The credential of an entry: an identity token as user <see cref="CredentialStore.IdentityTokenUserName"/>,
        /// else <c>auth</c> (base64 of user:password), else <c>username</c>/<c>password</c>; null for an empty entry.
        /// </summary>
        /// <exception cref="RegistryException"><c>DockerConfigEntryInvalid</c> when <c>auth</c> does not decode.</exception>
        public RegistryCredential? ReadCredential(string key)
        {
            if (!(Entry(key) is JsonObject entry)) return null;
            var token = Text(entry, "identitytoken");
            if (token.Length > 0) return new RegistryCredential(CredentialStore.IdentityTokenUserName, SecureStrings.ToSecureString(token));

            var auth = Text(entry, "auth");
            if (auth.Length > 0)
            {
                string decoded;
                try
                {
                    decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
                }
                catch (FormatException ex)
                {
                    throw InvalidEntry(key, "is not base64", ex);
                }
                var colon = decoded.IndexOf(':');
                if (colon <= 0) throw InvalidEntry(key, "does not decode to user:password", null);
                return new RegistryCredential(decoded.Substring(0, colon), SecureStrings.ToSecureString(decoded.Substring(colon + 1)));
            }

            var user = Text(entry, "username");
            return user.Length > 0 ? new RegistryCredential(user, SecureStrings.ToSecureString(Text(entry, "password"))) : null;
        }

        private RegistryException InvalidEntry(string key, string problem, Exception? inner) =>
            new RegistryException("DockerConfigEntryInvalid", ErrorKind.InvalidData,
                $"The \"auth\" of the \"{key}\" entry in the {Describe(Location)} {problem}. Log in to {key} again to replace it.", inner);

        /// <summary>Writes the credential into the server's entry, keeping the entry's other fields.</summary>
        public void SetCredential(string key, RegistryCredential credential)
        {
            var entry = ClearCredential(key);
            var secret = SecureStrings.Reveal(credential.Password);
            if (credential.UserName == CredentialStore.IdentityTokenUserName)
            {
                entry["identitytoken"] = secret;
            }
            else
            {
                entry["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.UserName + ":" + secret));
            }
        }

        /// <summary>Leaves the server's entry without a credential: docker's marker <c>{}</c> for a server a helper serves.</summary>
        public JsonObject ClearCredential(string key)
        {
            var auths = ObjectField(_root, Auths);
            if (!(auths[key] is JsonObject entry)) auths[key] = entry = new JsonObject();
            foreach (var field in CredentialFields) entry.Remove(field);
            return entry;
        }

        public bool RemoveEntry(string key) => _root[Auths] is JsonObject auths && auths.Remove(key);

        public void SetHelper(string key, string helper) => ObjectField(_root, CredHelpersField)[key] = helper;

        public byte[] ToBytes()
        {
            using (var buffer = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) _root.WriteTo(writer);
                return buffer.ToArray();
            }
        }

        private JsonObject? Entry(string key) => _root[Auths] is JsonObject auths ? auths[key] as JsonObject : null;

        private static string Text(JsonObject entry, string field) =>
            entry[field] is JsonNode v && IsString(v) ? v.GetValue<string>() : "";

        private static JsonObject ObjectField(JsonObject parent, string name)
        {
            if (!(parent[name] is JsonObject child)) parent[name] = child = new JsonObject();
            return child;
        }
    }
}
