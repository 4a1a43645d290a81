package io.opcscraper.opcua.internal.connection;

import java.util.List;
import java.util.Map;

import io.opcscraper.config.Checks;
import io.opcscraper.config.ConfigReader;
import io.opcscraper.config.InvalidConfigurationException;
import io.opcscraper.config.Property;
import io.opcscraper.config.Secret;
import io.opcscraper.config.kura.GatewayIdentity;

/**
 * The validated configuration of one {@code io.opcscraper.opcua.Connection} instance. Each
 * property and its default is declared once, here; {@code metatype/io.opcscraper.opcua.Connection.xml}
 * says the same (checked by a test).
 */
public record ConnectionOptions(String endpointUrl, boolean useConfiguredAddress, String securityPolicy,
        String securityMode, String identityType, String username, Secret password, String identityKeystore,
        Secret identityKeystorePassword, String pkiDir, boolean trustAllServers, int requestTimeoutMs,
        int sessionTimeoutMs, int keepAliveIntervalMs, int reconnectMaxDelayMs, String clientId) {

    public static final String PID = "io.opcscraper.opcua.Connection";

    static final Property<String> ENDPOINT_URL = Property.string("endpoint.url", "opc.tcp://opc_server:4840")
            .check(Checks::opcTcpUrl);
    static final Property<Boolean> USE_CONFIGURED_ADDRESS = Property.bool("endpoint.use.configured.address", false);
    static final Property<String> SECURITY_POLICY = Property.string("security.policy", "auto").options("auto", "None",
            "Basic128Rsa15", "Basic256", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");
    static final Property<String> SECURITY_MODE = Property.string("security.mode", "auto").options("auto", "None",
            "Sign", "SignAndEncrypt");
    static final Property<String> IDENTITY_TYPE = Property.string("identity.type", "anonymous").options("anonymous",
            "username", "certificate");
    static final Property<String> USERNAME = Property.string("identity.username", "").check(Checks::label);
    static final Property<Secret> PASSWORD = Property.password("identity.password");
    static final Property<String> IDENTITY_KEYSTORE = Property.string("identity.keystore", "")
            .check(Checks::absolutePathOrEmpty);
    static final Property<Secret> IDENTITY_KEYSTORE_PASSWORD = Property.password("identity.keystore.password");
    static final Property<String> PKI_DIR = Property.string("pki.dir", "").check(Checks::absolutePathOrEmpty);
    static final Property<Boolean> TRUST_ALL_SERVERS = Property.bool("trust.all.servers", false);
    static final Property<Integer> REQUEST_TIMEOUT_MS = Property.integer("request.timeout.ms", 10_000)
            .range(100, 600_000);
    static final Property<Integer> SESSION_TIMEOUT_MS = Property.integer("session.timeout.ms", 120_000)
            .range(10_000, 3_600_000);
    static final Property<Integer> KEEPALIVE_INTERVAL_MS = Property.integer("keepalive.interval.ms", 5_000)
            .range(1_000, 600_000);
    static final Property<Integer> RECONNECT_MAX_DELAY_MS = Property.integer("reconnect.max.delay.ms", 30_000)
            .range(1_000, 3_600_000);
    static final Property<String> CLIENT_ID = Property.string("client.id", "").check(Checks::label);

    /** Every property, in metatype order. */
    public static final List<Property<?>> PROPERTIES = List.of(ENDPOINT_URL, USE_CONFIGURED_ADDRESS, SECURITY_POLICY,
            SECURITY_MODE, IDENTITY_TYPE, USERNAME, PASSWORD, IDENTITY_KEYSTORE, IDENTITY_KEYSTORE_PASSWORD, PKI_DIR,
            TRUST_ALL_SERVERS, REQUEST_TIMEOUT_MS, SESSION_TIMEOUT_MS, KEEPALIVE_INTERVAL_MS, RECONNECT_MAX_DELAY_MS,
            CLIENT_ID);

    /**
     * The options without a gateway identity (no Kura SystemService): an empty {@code client.id}
     * means the instance name alone.
     */
    public static ConnectionOptions parse(Map<String, ?> properties) throws InvalidConfigurationException {
        return parse(properties, null);
    }

    /**
     * The options of an instance on the gateway {@code gateway}: an empty {@code client.id} means
     * {@code <gateway>/<instance name>} ({@link GatewayIdentity#clientId}), unique across a fleet whose
     * gateways share one configuration template; null or a gateway without a name: the instance name.
     */
    public static ConnectionOptions parse(Map<String, ?> properties, GatewayIdentity gateway)
            throws InvalidConfigurationException {
        ConfigReader in = new ConfigReader(PID, properties);
        String policy = in.get(SECURITY_POLICY);
        String mode = in.get(SECURITY_MODE);
        if ("None".equals(policy) != "None".equals(mode) && !"auto".equals(policy) && !"auto".equals(mode)) {
            in.reject(SECURITY_MODE, "must be None exactly when security.policy is None (policy is " + policy + ")");
        }
        String identity = in.get(IDENTITY_TYPE);
        String username = in.get(USERNAME);
        if ("username".equals(identity) && username.isEmpty()) {
            in.reject(USERNAME, "is required when identity.type is username");
        }
        String keystore = in.get(IDENTITY_KEYSTORE);
        if ("certificate".equals(identity) && keystore.isEmpty()) {
            in.reject(IDENTITY_KEYSTORE, "is required when identity.type is certificate");
        }
        String clientId = in.get(CLIENT_ID);
        if (clientId.isEmpty()) {
            Object name = properties.get("kura.service.pid");
            String instance = name instanceof String ? (String) name : PID;
            clientId = gateway == null ? instance : gateway.clientId(instance);
        }
        ConnectionOptions options = new ConnectionOptions(in.get(ENDPOINT_URL), in.get(USE_CONFIGURED_ADDRESS),
                policy, mode, identity, username, in.get(PASSWORD), keystore, in.get(IDENTITY_KEYSTORE_PASSWORD),
                in.get(PKI_DIR), in.get(TRUST_ALL_SERVERS), in.get(REQUEST_TIMEOUT_MS), in.get(SESSION_TIMEOUT_MS),
                in.get(KEEPALIVE_INTERVAL_MS), in.get(RECONNECT_MAX_DELAY_MS), clientId);
        in.throwIfInvalid();
        return options;
    }
}
