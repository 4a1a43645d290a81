package io.opcscraper.simulator;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.opcscraper.simulator.internal.Simulator;
import io.opcscraper.simulator.internal.SimulatorConfig;

/**
 * A simulated plant served over OPC UA by an Eclipse Milo 0.6.16 server running in this JVM.
 *
 * <h2>Address space</h2>
 * In namespace {@value #NAMESPACE_URI}, under the Objects folder (all node ids are strings, equal to
 * the browse path below Objects; display name = browse name = the path element):
 * <ul>
 * <li>{@code Plant} (FolderType) / {@code Line01..} (FolderType) / {@code Machine01..Machine10}
 * (BaseObjectType) / {@code Sensor01..Sensor10} (BaseObjectType) / the variables {@code Temperature}
 * (Double, AnalogItemType, properties EURange and EngineeringUnits "°C"), {@code Pressure} (Double,
 * AnalogItemType, "bar"), {@code Running} (Boolean), {@code Count} (UInt32), in this order. The
 * {@link Builder#tags(int) tags} are spread 4 per sensor, 10 sensors per machine, 10 machines per line,
 * as many lines as needed (the last sensor may have fewer than 4). Example node id:
 * {@code s=Plant/Line01/Machine03/Sensor07/Temperature}; its properties are
 * {@code .../Temperature/EURange} and {@code .../Temperature/EngineeringUnits}.</li>
 * <li>{@code Plant/Types} (BaseObjectType): one variable per OPC UA scalar built-in type, named after
 * it ({@code Boolean, SByte, Byte, Int16, UInt16, Int32, UInt32, Int64, UInt64, Float, Double, String,
 * DateTime, Guid, ByteString, XmlElement, NodeId, ExpandedNodeId, StatusCode, QualifiedName,
 * LocalizedText}), two structures as ExtensionObjects ({@code Range}, {@code EUInformation}), arrays
 * {@code DoubleArray} (Double[5]), {@code Int32Array} (Int32[3]), {@code BooleanArray} (Boolean[4]),
 * {@code StringArray} (String[2]), the special Doubles {@code NaN}, {@code PosInf}, {@code NegInf},
 * {@code BadSensor} (every read: status Bad_SensorFailure 0x808C0000, no value) and {@code Removable}
 * (a Double meant for {@link #removeVariable(String)}).</li>
 * <li>{@code Plant/Hostile} (BaseObjectType): Double variables with hostile browse names (300
 * characters; {@code Robert'); DROP TABLE sensor_data;--}; {@code "quoted"}; a format string with a
 * backslash; non-Latin text; a name containing a slash) and {@code Huge}, a Double[100000].</li>
 * <li>{@code Structures} (FolderType, beside {@code Plant}) / {@code Machine01}: variables whose values are
 * structures of the plant's own data types ({@code DataTypes/...}, each with a Default Binary
 * encoding, a DataTypeDefinition (attribute 23, served although Milo 0.6 does not know it) and an
 * entry in the data type dictionary {@code DataTypes/PlantTypes}, as
 * {@link Builder#structureDescriptions(String)} says): {@code Motor} (optional fields: Speed, a nested
 * MotorStatus with the enumeration MotorState, an array of Axis structures, a Double array, the
 * optional Torque present in even periods, a String, a standard Range, a LocalizedText; its
 * {@code Speed} and {@code Status/Current} are also variables below it, with engineering units rpm
 * and A), {@code IdleMotor} (a Motor without Torque), {@code Reading} (a union: Level or Code by
 * period) and {@code Readings} (three of them), {@code Hostile} (fields named like Plant/Hostile),
 * {@code Broken} (its type names a field type no one describes, in both descriptions) and
 * {@code ServerStatus} (a standard ServerStatusDataType); {@code Structures/Blocks/GroupNNN/BlockNNNNN}
 * when {@link Builder#structureBlocks(int)} asks for them. None of these is in
 * {@link #variableNodeIds()}. {@link #extendStructureType(String, String)} changes a type at run time.</li>
 * <li>{@code Diagnostics} (FolderType): what open62541 shows per session, in the plant's own
 * namespace: an object {@code UaSession:OPC Scraper:1796514062410} of SessionDiagnosticsObjectType
 * with two variables, and a variable of SubscriptionDiagnosticsType.</li>
 * </ul>
 *
 * <h2>Values</h2>
 * Computed on every read (and every sample of a subscription, taken through the same read path at
 * wall-clock slots in the middle of the change periods, so that sampling at the change rate misses no
 * change; see {@link #valueChanges()}) as a deterministic function of the node and of the period
 * {@code k = floor(now * changeRateHz)}:
 * the source timestamp is the start of period {@code k}, the server timestamp is now. There is no update
 * thread: an idle plant of 50,000 tags costs no CPU. Sensor values change every period (Temperature,
 * Pressure: a slow sine plus noise; Count: increments by one per period; Running: mostly true, changes
 * rarely). Every variable is read-only (writes fail with Bad_NotWritable). The dynamic variables
 * advertise MinimumSamplingInterval = max(10 ms, half the change period); the server's
 * MinSupportedSampleRate is 10 ms.
 *
 * <h2>History (OPC UA Part 11, off unless {@link Builder#history(int)})</h2>
 * The sensor variables (Temperature, Pressure, Running, Count) are historizing: AccessLevel and
 * UserAccessLevel CurrentRead | HistoryRead, Historizing = true. HistoryRead with
 * ReadRawModifiedDetails (raw values; modified values, processed and at-time reads answer
 * Bad_HistoryOperationUnsupported) returns the value at the history's first period and at every
 * later period where the value changed, source and server timestamp the period's start; values
 * with {@code startTime <= t < endTime} in time order (or {@code endTime < t <= startTime}, newest
 * first, when the start is after the end). Nothing is stored: the values are a function of the
 * period. The history begins at the start of the server ({@link Builder#historyBackdated(boolean)}:
 * {@code seconds} earlier) and keeps the last {@code seconds}; a restarted server has lost it. At
 * most {@link Builder#maxHistoryValuesPerNode(int)} values per node per response, the rest behind
 * continuation points (at most {@link Builder#maxHistoryContinuationPoints(int)} per session, else
 * Bad_NoContinuationPoints; released by releaseContinuationPoints, when used, and when the session
 * closes). Other variables answer Bad_HistoryOperationUnsupported, unknown nodes Bad_NodeIdUnknown.
 * {@link #stopHistorizing(String)} turns one variable's history off.
 *
 * <h2>Operation limits (enforced and advertised in Server/ServerCapabilities/OperationLimits)</h2>
 * <ul>
 * <li>MaxNodesPerRead (ns=0;i=11705): a Read of more nodes fails with the service result
 * Bad_TooManyOperations (Milo itself enforces it).</li>
 * <li>MaxNodesPerBrowse (ns=0;i=11710): a Browse of more nodes fails with Bad_TooManyOperations (Milo).
 * In addition the simulator returns at most {@link Builder#maxReferencesPerBrowse(int)} references per
 * Browse or BrowseNext <em>response</em> (default: the MaxNodesPerBrowse value; at least one per node
 * that has any), handing out continuation points for the rest, so small values force BrowseNext.</li>
 * <li>MaxMonitoredItemsPerCall (ns=0;i=11714): Create/Modify/DeleteMonitoredItems and
 * SetMonitoringMode with more items fail with Bad_TooManyOperations (enforced by the simulator: Milo
 * 0.6 only advertises this limit).</li>
 * <li>MaxNodesPerHistoryReadData (ns=0;i=12165): a HistoryRead of more nodes fails with
 * Bad_TooManyOperations (enforced by the simulator: Milo 0.6 checks MaxNodesPerRead), and
 * MaxHistoryContinuationPoints (ns=0;i=2737) per session.</li>
 * </ul>
 *
 * <h2>Security</h2>
 * Endpoints at {@code opc.tcp://HOST:PORT/plant}: None/None if "None" is among the policies, and
 * Sign plus SignAndEncrypt for every other policy. <strong>The simulator trusts every client
 * certificate</strong> (no trust list, no validation: it is a test server). Its own self-signed
 * application certificate (RSA 2048, application URI {@value #APPLICATION_URI}, SAN localhost,
 * 127.0.0.1 and the bind address) is generated once into {@link Builder#pkiDir(Path)} as
 * {@code plant-server.p12} (plus {@code plant-server.der} for clients to trust) and reused on the
 * next start. Anonymous sessions are allowed unless {@link Builder#allowAnonymous(boolean)
 * allowAnonymous(false)}; {@link Builder#user(String, String)} adds username/password tokens (on
 * the None endpoint the password is encrypted with Basic256Sha256, on secure endpoints with the
 * channel's policy). A wrong password fails ActivateSession with Bad_UserAccessDenied.
 * Aes256_Sha256_RsaPss: Milo 0.6 needs a JCA provider of {@code SHA256withRSA/PSS}; if none is
 * installed, starting a server with that policy registers the Bouncy Castle copy inside the milo
 * jar JVM-wide (logged at WARN), which Milo clients in the same JVM then use too.
 *
 * <h2>Resources</h2>
 * {@link #close()} stops the server and releases its port. It does <em>not</em> call Milo's
 * {@code Stack.releaseSharedResources()}: the Netty event loop and executors it shuts down are shared
 * by every Milo server and client in the JVM (other simulators, the client under test), and are
 * daemon threads. A test suite that wants them gone calls it itself at the very end.
 *
 * <p>Thread-safe. Works on a plain class path (with the {@code io.opcscraper:milo} jar) and in OSGi.
 */
public final class PlantServer implements AutoCloseable {

    /** The namespace URI of the plant. */
    public static final String NAMESPACE_URI = "urn:opcscraper:simulator:plant";
    /** The server's application URI (also in its certificate). */
    public static final String APPLICATION_URI = "urn:opcscraper:simulator:plant-server";
    /** The path of every endpoint. */
    public static final String PATH = "/plant";

    private final Simulator simulator;

    private PlantServer(Simulator simulator) {
        this.simulator = simulator;
    }

    /** @return a builder with the defaults documented on each of its methods */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@code opc.tcp://HOST:PORT/plant}, HOST the bind address (127.0.0.1 for a wildcard bind) */
    public String endpointUrl() {
        return simulator.endpointUrl();
    }

    /** @return the TCP port the server listens on */
    public int port() {
        return simulator.port();
    }

    /** @return {@value #NAMESPACE_URI} */
    public String namespaceUri() {
        return NAMESPACE_URI;
    }

    /** @return the index of {@link #namespaceUri()} in the server's namespace table */
    public int namespaceIndex() {
        return simulator.namespaceIndex();
    }

    /**
     * @return every Variable of the plant that exists now (sensor variables, {@code Types/*},
     *     {@code Hostile/*}; not the EURange/EngineeringUnits properties, see {@link #propertyNodeIds()}),
     *     in address-space order, each as {@code nsu=URI;s=ID}
     */
    public List<String> variableNodeIds() {
        return simulator.variableNodeIds();
    }

    /** @return the number of {@link #variableNodeIds()} */
    public int variableCount() {
        return simulator.variableCount();
    }

    /**
     * @return the property Variables (HasProperty children EURange and EngineeringUnits of the analog
     *     items) that exist now, each as {@code nsu=URI;s=ID}
     */
    public List<String> propertyNodeIds() {
        return simulator.propertyNodeIds();
    }

    /**
     * Removes a variable (and its properties) from the address space now; later reads of it return
     * Bad_NodeIdUnknown and monitored items on it report that status.
     *
     * @param nodeId {@code ns=INDEX;s=ID} or {@code nsu=URI;s=ID} (the identifier may contain ';')
     * @throws IllegalArgumentException if it names no variable of {@link #variableNodeIds()}
     */
    public void removeVariable(String nodeId) {
        simulator.removeVariable(nodeId);
    }

    /** @return the server's application certificate */
    public X509Certificate certificate() {
        return simulator.certificate();
    }

    /**
     * @return how many Value attributes the plant namespace has produced since start: one per node
     *     of a Read request and one per sample a subscription took (Milo samples every monitored item
     *     at its sampling interval, whether or not the value then passes the data change filter),
     *     including Bad ones such as BadSensor; nodes that do not exist are not counted
     */
    public long valuesServed() {
        return simulator.valuesServed();
    }

    /**
     * The value changes the plant produced: for every variable of {@link #variableNodeIds()}, the number
     * of period boundaries since the start at which its value became different from the previous
     * period's (as a data change filter with trigger StatusValue sees it: deep equality, NaN equals
     * NaN), summed. Sensor Temperature, Pressure and Count change every period, Running only when its
     * state flips (every 20 periods at most); constant variables (NaN, PosInf, NegInf, BadSensor,
     * EUInformation, ExpandedNodeId) never change; a removed variable keeps the changes it had. The
     * first value of each variable is not a change. Counting starts when the server has started.
     *
     * <p>A subscriber whose sampling keeps up with the change rate receives the initial value of each
     * item plus exactly these changes (those between its subscription and now); a lossless sink
     * stores as many rows. Computed from the clock on each call (one pass over the variables), there
     * is no update thread.
     *
     * @return the number of value changes since start, summed over the variables
     */
    public long valueChanges() {
        return simulator.valueChanges();
    }

    /**
     * The variable stops being historizing from now on: AccessLevel and UserAccessLevel lose
     * HistoryRead, Historizing becomes false, HistoryRead answers Bad_HistoryOperationUnsupported.
     *
     * @param nodeId {@code ns=INDEX;s=ID} or {@code nsu=URI;s=ID}
     * @throws IllegalArgumentException if it names no historizing variable
     */
    public void stopHistorizing(String nodeId) {
        simulator.stopHistorizing(nodeId);
    }

    /** @return where the history begins now (its first period, or the oldest one it keeps), or null without history */
    public java.time.Instant historyStart() {
        return simulator.historyStart();
    }

    /** @return the history continuation points the sessions hold now */
    public int historyContinuationPoints() {
        return simulator.historyContinuationPoints();
    }

    /**
     * Adds a Double field at the end of one of the plant's structure types, as a server whose type
     * was changed would: its DataTypeDefinition, its dictionary entry and the values of its
     * variables change at once (the new field's value: {@code k * 0.5 + 1}).
     *
     * @param typeName {@code Motor}, {@code MotorStatus}, {@code Axis}, {@code Reading}, {@code Block}, ...
     * @throws IllegalArgumentException if the plant has no such structure type
     */
    public void extendStructureType(String typeName, String field) {
        simulator.extendStructureType(typeName, field);
    }

    /** Stops the server and releases its port; idempotent. */
    @Override
    public void close() {
        simulator.close();
    }

    @Override
    public String toString() {
        return "PlantServer[" + endpointUrl() + ", " + variableCount() + " variables]";
    }

    /** Settings of a {@link PlantServer}; not thread-safe, use one builder per start. */
    public static final class Builder {

        private String bindAddress = "127.0.0.1";
        private int port;
        private int tags = 1000;
        private double changeRateHz = 1.0;
        private Path pkiDir;
        private List<String> securityPolicies = List.of(
            "None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");
        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<X509Certificate> x509Users = new ArrayList<>();
        private boolean allowAnonymous = true;
        private int maxNodesPerRead = 10_000;
        private int maxNodesPerBrowse = 250;
        private int maxMonitoredItemsPerCall = 10_000;
        private Integer maxReferencesPerBrowse;
        private int historySeconds;
        private boolean historyBackdated;
        private int maxHistoryValuesPerNode = 100;
        private int maxNodesPerHistoryReadData = 250;
        private int maxHistoryContinuationPoints = 250;
        private String structureDescriptions = "both";
        private int structureBlocks;

        private Builder() {
        }

        /** @param host the address to listen on; default 127.0.0.1 */
        public Builder bindAddress(String host) {
            this.bindAddress = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param port the TCP port; default 0 = a free port chosen at start (retried on a new port if
         *     another process takes it first)
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
            this.port = port;
            return this;
        }

        /** @param n the number of plant sensor variables; default 1000 */
        public Builder tags(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("tags " + n);
            }
            this.tags = n;
            return this;
        }

        /** @param hz how often the values change per second; default 1.0 */
        public Builder changeRateHz(double hz) {
            if (!(hz > 0) || Double.isInfinite(hz)) {
                throw new IllegalArgumentException("changeRateHz " + hz);
            }
            this.changeRateHz = hz;
            return this;
        }

        /**
         * @param dir where the server keeps its key store (created if missing; the certificate is
         *     generated once and reused); default a new temporary directory, deleted on close
         */
        public Builder pkiDir(Path dir) {
            this.pkiDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * @param policies Milo SecurityPolicy names: None, Basic256Sha256, Aes128_Sha256_RsaOaep,
         *     Aes256_Sha256_RsaPss (also Basic128Rsa15, Basic256); default the first four. Each policy
         *     but None gets a Sign and a SignAndEncrypt endpoint.
         */
        public Builder securityPolicies(String... policies) {
            if (policies.length == 0) {
                throw new IllegalArgumentException("no security policy");
            }
            this.securityPolicies = List.copyOf(Arrays.asList(policies));
            return this;
        }

        /** Adds a user for username/password tokens (may be called for several users). */
        public Builder user(String name, String password) {
            users.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(password, "password"));
            return this;
        }

        /** @param allow whether anonymous sessions are accepted; default true */
        /** Accepts sessions whose user identity is this X.509 certificate (X509IdentityToken). */
        public Builder x509User(X509Certificate certificate) {
            this.x509Users.add(certificate);
            return this;
        }

        public Builder allowAnonymous(boolean allow) {
            this.allowAnonymous = allow;
            return this;
        }

        /** @param n MaxNodesPerRead, enforced (Bad_TooManyOperations above) and advertised; default 10,000 */
        public Builder maxNodesPerRead(int n) {
            this.maxNodesPerRead = positive(n, "maxNodesPerRead");
            return this;
        }

        /**
         * @param n MaxNodesPerBrowse, enforced and advertised; default 250. Unless
         *     {@link #maxReferencesPerBrowse(int)} is set, also the number of references per Browse or
         *     BrowseNext response, so small values force continuation points.
         */
        public Builder maxNodesPerBrowse(int n) {
            this.maxNodesPerBrowse = positive(n, "maxNodesPerBrowse");
            return this;
        }

        /**
         * @param n at most this many references in one Browse or BrowseNext response (at least one per
         *     browsed node that has any), the rest behind continuation points; 0 = no server-side cap
         *     (only the client's requestedMaxReferencesPerNode); default: the maxNodesPerBrowse value
         */
        public Builder maxReferencesPerBrowse(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxReferencesPerBrowse " + n);
            }
            this.maxReferencesPerBrowse = n;
            return this;
        }

        /**
         * @param n MaxMonitoredItemsPerCall, enforced on Create/Modify/DeleteMonitoredItems and
         *     SetMonitoringMode and advertised; default 10,000
         */
        public Builder maxMonitoredItemsPerCall(int n) {
            this.maxMonitoredItemsPerCall = positive(n, "maxMonitoredItemsPerCall");
            return this;
        }

        /**
         * @param seconds how many seconds of history the sensor variables keep (they are historizing);
         *     default 0: no history
         */
        public Builder history(int seconds) {
            if (seconds < 0) {
                throw new IllegalArgumentException("history " + seconds);
            }
            this.historySeconds = seconds;
            return this;
        }

        /**
         * @param backdated whether the history also covers the {@code history} seconds before the server
         *     started, as if the plant had recorded before this process ran; default false
         */
        public Builder historyBackdated(boolean backdated) {
            this.historyBackdated = backdated;
            return this;
        }

        /** @param n at most this many values per node in one HistoryRead response; default 100 */
        public Builder maxHistoryValuesPerNode(int n) {
            this.maxHistoryValuesPerNode = positive(n, "maxHistoryValuesPerNode");
            return this;
        }

        /** @param n MaxNodesPerHistoryReadData, enforced and advertised; default 250 */
        public Builder maxNodesPerHistoryReadData(int n) {
            this.maxNodesPerHistoryReadData = positive(n, "maxNodesPerHistoryReadData");
            return this;
        }

        /** @param n MaxHistoryContinuationPoints per session, enforced and advertised; default 250 */
        public Builder maxHistoryContinuationPoints(int n) {
            this.maxHistoryContinuationPoints = positive(n, "maxHistoryContinuationPoints");
            return this;
        }

        /**
         * @param how how the plant's structure types are described: {@code both} (default: a
         *     DataTypeDefinition per type, OPC UA 1.04, and the dictionary {@code DataTypes/PlantTypes},
         *     1.03), {@code definitions} (no dictionary), {@code dictionary} (no DataTypeDefinition:
         *     attribute 23 gives Bad_AttributeIdInvalid, as on a 1.03 server)
         */
        public Builder structureDescriptions(String how) {
            if (!List.of("both", "definitions", "dictionary").contains(how)) {
                throw new IllegalArgumentException("structureDescriptions " + how);
            }
            this.structureDescriptions = how;
            return this;
        }

        /** @param n how many Block variables (a structure of five Doubles) {@code Structures/Blocks} has; default 0 */
        public Builder structureBlocks(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("structureBlocks " + n);
            }
            this.structureBlocks = n;
            return this;
        }

        /**
         * Builds the address space and starts the server.
         *
         * @return the server, listening
         * @throws Exception if it cannot start (port taken when fixed, unreadable PKI directory, ...)
         */
        public PlantServer start() throws Exception {
            if (!allowAnonymous && users.isEmpty() && x509Users.isEmpty()) {
                throw new IllegalStateException("no anonymous access and no user: nobody could connect");
            }
            SimulatorConfig config = new SimulatorConfig(bindAddress, port, tags, changeRateHz, pkiDir,
                new ArrayList<>(securityPolicies), new LinkedHashMap<>(users), allowAnonymous,
                maxNodesPerRead, maxNodesPerBrowse, maxMonitoredItemsPerCall,
                maxReferencesPerBrowse != null ? maxReferencesPerBrowse : maxNodesPerBrowse, List.copyOf(x509Users),
                new SimulatorConfig.History(historySeconds, historyBackdated, maxHistoryValuesPerNode,
                    maxNodesPerHistoryReadData, maxHistoryContinuationPoints),
                structureDescriptions, structureBlocks);
            return new PlantServer(Simulator.start(config));
        }

        private static int positive(int n, String name) {
            if (n <= 0) {
                throw new IllegalArgumentException(name + " " + n);
            }
            return n;
        }
    }
}
