using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace CodespaceRegistry.Distribution
{
    /// <summary>
    /// Per-registry TLS trust as docker and podman have it: the CA certificates (<c>*.crt</c>) in
    /// <c>&lt;root&gt;/&lt;host[:port]&gt;/</c> of a <c>certs.d</c> folder are trusted for that registry only, in addition to the
    /// system's roots, and a <c>client.cert</c>/<c>client.key</c> pair there is the client certificate for mutual TLS. The folder name matches the registry as written in image references: <c>host</c> for the default
    /// port, <c>host:port</c> otherwise (containers-certs.d(5), docker's "Verify repository client with certificates").
    /// </summary>
    public sealed class RegistryTrust
    {
        /// <summary>Folders (separated by the path separator) that replace the default certs.d roots; tests and unusual setups set it.</summary>
        public const string CertsDirectoriesVariable = "CODESPACE_REGISTRY_CERTS_D";

        public const string DockerCertsDirectory = "/etc/docker/certs.d";
        public const string ContainersCertsDirectory = "/etc/containers/certs.d";

        private static readonly Regex PemCertificate = new Regex("-----BEGIN CERTIFICATE-----(?<body>[A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----", RegexOptions.CultureInvariant);
        private readonly ConcurrentDictionary<string, IReadOnlyList<X509Certificate2>> _authorities = new ConcurrentDictionary<string, IReadOnlyList<X509Certificate2>>(StringComparer.OrdinalIgnoreCase);

        private readonly ConcurrentDictionary<string, X509Certificate2?> _clients = new ConcurrentDictionary<string, X509Certificate2?>(StringComparer.OrdinalIgnoreCase);

        public RegistryTrust(IEnumerable<string> roots)
        {
            Roots = (roots ?? throw new ArgumentNullException(nameof(roots))).Where(r => !string.IsNullOrWhiteSpace(r)).ToList();
        }

        /// <summary>The certs.d folders consulted, highest priority first.</summary>
        public IReadOnlyList<string> Roots { get; }

        /// <summary>No certs.d folder: only the system's roots.</summary>
        public static RegistryTrust None { get; } = new RegistryTrust(Array.Empty<string>());

        /// <summary>
        /// <see cref="CertsDirectoriesVariable"/> when set; otherwise every folder containers-certs.d(5) consults, in its order
        /// (highest priority first): the user's (<c>$XDG_CONFIG_HOME/containers/certs.d</c>, or <c>~/.config/containers/certs.d</c>);
        /// under <c>/etc/containers</c> and then <c>/usr/share/containers</c>, <c>certs.rootful.d</c> for root or
        /// <c>certs.rootless.d/&lt;UID&gt;</c> and <c>certs.rootless.d</c> for another user (<paramref name="userId"/>; neither
        /// when it is null, as on Windows), then <c>certs.d</c>; and docker's <c>/etc/docker/certs.d</c>.
        /// </summary>
        public static RegistryTrust FromEnvironment(Func<string, string?> getVariable, long? userId)
        {
            var overridden = getVariable(CertsDirectoriesVariable);
            if (!string.IsNullOrWhiteSpace(overridden)) return new RegistryTrust(overridden!.Split(Path.PathSeparator));
            var config = getVariable("XDG_CONFIG_HOME");
            var home = getVariable("HOME");
            var user = !string.IsNullOrWhiteSpace(config) ? Path.Combine(config!, "containers", "certs.d")
                : !string.IsNullOrWhiteSpace(home) ? Path.Combine(home!, ".config", "containers", "certs.d") : null;
            IEnumerable<string> Consulted(string parent) =>
                (userId == null ? Array.Empty<string>()
                    : userId == 0 ? new[] { parent + "/certs.rootful.d" }
                    : new[] { parent + "/certs.rootless.d/" + userId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), parent + "/certs.rootless.d" })
                .Concat(new[] { parent + "/certs.d" });
            return new RegistryTrust(new[] { user }.Concat(Consulted("/etc/containers")).Concat(Consulted("/usr/share/containers")).Concat(new[] { DockerCertsDirectory }).Where(r => r != null)!);
        }

        public static RegistryTrust FromProcessEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable, DockerConfig.UnixFiles.EffectiveUserId);

        /// <summary>The folder name for a request URI: <c>host</c> on the scheme's default port, else <c>host:port</c>.</summary>
        public static string FolderName(Uri uri) => uri.IsDefaultPort ? uri.Host : uri.Authority;

        /// <summary>The CA certificates trusted for the registry at <paramref name="uri"/> (every <c>*.crt</c> of its folder in every root).</summary>
        /// <exception cref="RegistryException">A <c>.crt</c> file is not a certificate (ErrorId <c>RegistryCaCertificateInvalid</c>).</exception>
        public IReadOnlyList<X509Certificate2> CertificateAuthoritiesFor(Uri uri) =>
            _authorities.GetOrAdd(FolderName(uri), name => Roots
                .Select(root => Path.Combine(root, name))
                .Where(Directory.Exists)
                .SelectMany(folder => Directory.GetFiles(folder, "*.crt").OrderBy(f => f, StringComparer.Ordinal))
                .SelectMany(ReadCertificates)
                .ToList());

        /// <summary>
        /// The client certificate for mutual TLS with the registry at <paramref name="uri"/>: the first
        /// <c>&lt;name&gt;.cert</c> with its <c>&lt;name&gt;.key</c> (PEM) in the registry's folder, in root and name order; null when none.
        /// </summary>
        /// <exception cref="RegistryException">The pair cannot be loaded (ErrorId <c>RegistryClientCertificateInvalid</c>).</exception>
        public X509Certificate2? ClientCertificateFor(Uri uri) =>
            _clients.GetOrAdd(FolderName(uri), name => Roots
                .Select(root => Path.Combine(root, name))
                .Where(Directory.Exists)
                .SelectMany(folder => Directory.GetFiles(folder, "*.cert").OrderBy(f => f, StringComparer.Ordinal))
                .Where(cert => File.Exists(Path.ChangeExtension(cert, ".key")))
                .Select(cert => LoadClientCertificate(cert, Path.ChangeExtension(cert, ".key")))
                .FirstOrDefault());

        /// <summary>
        /// X509Certificate2.CreateFromPemFile, which .NET 5 and later have (PowerShell 7); netstandard2.0 cannot name it,
        /// and Windows PowerShell has no PEM key import at all.
        /// </summary>
        private static X509Certificate2 LoadClientCertificate(string certificate, string key)
        {
            var create = typeof(X509Certificate2).GetMethod("CreateFromPemFile", new[] { typeof(string), typeof(string) });
            if (create == null)
            {
                throw new RegistryException("RegistryClientCertificateUnsupported", ErrorKind.NotImplemented,
                    $"The client certificate {certificate} needs PowerShell 7 (this runtime cannot read PEM keys).");
            }
            try
            {
                return (X509Certificate2)create.Invoke(null, new object[] { certificate, key })!;
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException != null)
            {
                throw new RegistryException("RegistryClientCertificateInvalid", ErrorKind.Security,
                    $"The client certificate {certificate} and key {key} cannot be loaded as a PEM pair.", e.InnerException);
            }
        }

        /// <summary>Where to put a registry's CA so that docker, podman and this module trust it.</summary>
        public string Remediation(Uri uri)
        {
            var name = FolderName(uri);
            // Where a person puts one: not the vendor folders (/usr/share) nor the rootful/rootless drop-ins.
            var roots = Roots.Where(r => !r.StartsWith("/usr/share/", StringComparison.Ordinal) && !r.Contains("/certs.root")).ToList();
            if (roots.Count == 0) roots = new List<string> { DockerCertsDirectory, ContainersCertsDirectory };
            return $"Put the CA certificate that signed the registry's certificate in {string.Join(" or ", roots.Select(r => Path.Combine(r, name, "ca.crt")))} " +
                   "(docker's daemon reads /etc/docker/certs.d, podman and skopeo /etc/containers/certs.d), or mark the registry insecure, accepting the risk.";
        }

        private static IEnumerable<X509Certificate2> ReadCertificates(string file)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new RegistryException("RegistryCaCertificateUnreadable", ErrorKind.Security, $"The CA certificate file {file} cannot be read.", e);
            }
            var blocks = PemCertificate.Matches(text).Cast<Match>().ToList();
            try
            {
                // DER when the file has no PEM block, as docker accepts either.
                return blocks.Count == 0
                    ? new[] { new X509Certificate2(File.ReadAllBytes(file)) }
                    : blocks.Select(b => new X509Certificate2(Convert.FromBase64String(new string(b.Groups["body"].Value.Where(c => !char.IsWhiteSpace(c)).ToArray())))).ToList();
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException || e is FormatException)
            {
                throw new RegistryException("RegistryCaCertificateInvalid", ErrorKind.Security, $"{file} is not a PEM or DER certificate.", e);
            }
        }
    }
}
