using CodespaceRegistry.Access;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>Core's views of the registry fixture (the engine tests link only RegistryFixture.cs).</summary>
    public abstract partial class RegistryFixture
    {
        public RegistryServer Server => RegistryServer.Parse(Host);

        public ImageReference Image => ImageReference.Parse(ImageName);

        public RegistryClientOptions Options() => new RegistryClientOptions { ExtraTrustedRoot = Ca, Trust = RegistryTrust.None };

        public RegistryClient Client() => new RegistryClient(Options());

        /// <summary>A login into the credential file at <paramref name="path"/> (which need not exist yet).</summary>
        public static RegistryLogin LoginInto(RegistryClient client, string path, CredentialFileFormat format = CredentialFileFormat.Docker) =>
            new RegistryLogin(client, new CredentialStore(new DockerConfigLocation(path, format)));

        public static RegistryCredential Credential(string user, string password) => new RegistryCredential(user, SecureStrings.ToSecureString(password));
    }
}
