// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDecisionLog} from "./interfaces/IDecisionLog.sol";

/**
 * @title DecisionLog
 * @notice Append-only, on-chain record of every automated decision about a proposal: analyses,
 * drafts and executor guard decisions. Each entry commits to the exact bytes of its report: the
 * contract checks that the bytes hash to the given keccak256, stores the hash with the small fields,
 * and emits the full bytes in {DecisionPublished}, so anyone can re-hash what was published. The
 * bytes are the report's canonical JSON, as they are or compressed ({ReportEncoding}); the entry
 * records which, and the chain never decodes them.
 * Its enums, struct, events and errors are declared in {IDecisionLog}.
 * @dev Only publishers authorised by governance (the timelock) may publish. Nothing can be edited
 * or removed once published.
 */
contract DecisionLog is IDecisionLog {
    /// @inheritdoc IDecisionLog
    uint256 public constant MAX_REPORT_BYTES = 32 * 1024;
    /// @inheritdoc IDecisionLog
    uint8 public constant MAX_RISK = 100;

    /// @inheritdoc IDecisionLog
    address public immutable governance;

    mapping(address account => bool) private _publishers;
    Decision[] private _decisions;
    /// @dev The latest decision of a kind about a proposal, packed in one slot so a contract can read
    /// its risk with a single storage read ({latestRisk}).
    struct Latest {
        uint64 indexPlusOne; // 0: none
        uint8 risk;
    }
    mapping(uint256 proposalId => mapping(Kind kind => Latest)) private _latest;

    /**
     * @param governance_ The timelock that governs the set of publishers.
     * @param initialPublishers Publishers authorised at deployment (the analyst and the executor).
     */
    constructor(address governance_, address[] memory initialPublishers) {
        if (governance_ == address(0)) revert DecisionLogZeroAddress();
        governance = governance_;
        for (uint256 i = 0; i < initialPublishers.length; ++i) {
            _setPublisher(initialPublishers[i], true);
        }
    }

    /// @inheritdoc IDecisionLog
    function setPublisher(address account, bool authorised) external {
        if (msg.sender != governance) revert DecisionLogOnlyGovernance(msg.sender);
        _setPublisher(account, authorised);
    }

    /// @inheritdoc IDecisionLog
    function publish(
        uint256 proposalId,
        Kind kind,
        uint8 risk,
        Recommendation recommendation,
        ReportEncoding encoding,
        bytes32 reportHash,
        bytes calldata report
    ) external returns (uint256 decisionId) {
        if (!_publishers[msg.sender]) revert DecisionLogUnauthorizedPublisher(msg.sender);
        if (risk > MAX_RISK) revert DecisionLogInvalidRisk(risk);
        if (report.length == 0) revert DecisionLogEmptyReport();
        if (report.length > MAX_REPORT_BYTES) revert DecisionLogReportTooLarge(report.length, MAX_REPORT_BYTES);
        bytes32 computed = keccak256(report);
        if (computed != reportHash) revert DecisionLogHashMismatch(reportHash, computed);

        decisionId = _decisions.length;
        _decisions.push(
            Decision({
                proposalId: proposalId,
                reportHash: reportHash,
                actor: msg.sender,
                kind: kind,
                risk: risk,
                recommendation: recommendation,
                encoding: encoding,
                timestamp: uint48(block.timestamp)
            })
        );
        _latest[proposalId][kind] = Latest({indexPlusOne: uint64(decisionId + 1), risk: risk});
        emit DecisionPublished(decisionId, proposalId, kind, msg.sender, risk, recommendation, encoding, reportHash, report);
    }

    /// @inheritdoc IDecisionLog
    function isPublisher(address account) external view returns (bool) {
        return _publishers[account];
    }

    /// @inheritdoc IDecisionLog
    function decisionCount() external view returns (uint256) {
        return _decisions.length;
    }

    /// @inheritdoc IDecisionLog
    function decision(uint256 decisionId) external view returns (Decision memory) {
        if (decisionId >= _decisions.length) revert DecisionLogUnknownDecision(decisionId);
        return _decisions[decisionId];
    }

    /// @inheritdoc IDecisionLog
    function hasDecision(uint256 proposalId, Kind kind) external view returns (bool) {
        return _latest[proposalId][kind].indexPlusOne != 0;
    }

    /// @inheritdoc IDecisionLog
    function latestDecision(uint256 proposalId, Kind kind) external view returns (uint256 decisionId, Decision memory) {
        uint256 indexPlusOne = _latest[proposalId][kind].indexPlusOne;
        if (indexPlusOne == 0) revert DecisionLogNoDecision(proposalId, kind);
        decisionId = indexPlusOne - 1;
        return (decisionId, _decisions[decisionId]);
    }

    /// @inheritdoc IDecisionLog
    function latestRisk(uint256 proposalId, Kind kind) external view returns (bool published, uint8 risk) {
        Latest memory latest = _latest[proposalId][kind];
        return (latest.indexPlusOne != 0, latest.risk);
    }

    function _setPublisher(address account, bool authorised) internal {
        if (account == address(0)) revert DecisionLogZeroAddress();
        _publishers[account] = authorised;
        emit PublisherSet(account, authorised);
    }
}
