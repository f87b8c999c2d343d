// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IDecisionLog} from "../interfaces/IDecisionLog.sol";

/**
 * @title GovernorRiskDelay
 * @notice Governor extension over {GovernorTimelockControl}: when a proposal is queued, the timelock
 * operation is scheduled with a delay chosen by the risk of the latest analysis published for it in
 * the {IDecisionLog}. A risky proposal gets more time for people to read, react and cancel; it is
 * never blocked.
 * @dev The delay is the longest of the timelock's minimum delay and the delay of the highest risk
 * tier the analysis reaches (tiers are set by governance). A proposal with no analysis by the time
 * it is queued gets the highest tier, so an analyst that is down or censored only slows governance
 * down. An analyst's power on chain is bounded by the tiers: it can neither shorten a delay below the
 * timelock's minimum nor prevent queueing, and an analysis published after queueing changes nothing.
 *
 * The timelock operation is scheduled and executed here rather than by {GovernorTimelockControl},
 * whose queueing always uses the minimum delay; this extension therefore keeps its own operation ids
 * (fixed when a proposal is created) and answers {state} and cancellation from them. The salt is the
 * one {GovernorTimelockControl} uses, so operations keep the same ids.
 */
abstract contract GovernorRiskDelay is GovernorTimelockControl {
    /**
     * @notice A risk tier: an analysis with risk `minRisk` or more gets at least `delay` seconds
     * between queueing and execution.
     */
    struct RiskTier {
        uint8 minRisk;
        uint32 delay;
    }

    /// @notice The delay a queued proposal earned, and why.
    struct RiskDelay {
        /// Seconds between queueing and the earliest execution.
        uint32 delay;
        /// 0 below the first tier, otherwise the 1-based index of the tier reached.
        uint8 tier;
        /// Risk of the latest analysis when queued (meaningful only when `analysed`).
        uint8 risk;
        /// Whether an analysis had been published by the time of queueing.
        bool analysed;
        /// Whether the proposal was queued (false: the fields above are empty).
        bool queued;
        /// Whether the proposal exists. Set at creation, so that queueing updates this record's
        /// storage slot instead of creating it: the proposer pays for it, not whoever queues.
        bool proposed;
    }

    /// @notice Most tiers governance may set.
    uint256 public constant MAX_RISK_TIERS = 5;
    /// @notice Longest delay a tier may add (the bound on what an analysis can do to a proposal).
    uint32 public constant MAX_RISK_DELAY = 30 days;

    IDecisionLog private immutable _decisionLog;
    /// @dev Tier i (0-based) in bits [40i, 40i + 40): its minimum risk (8 bits), then its delay (32
    /// bits); unused tiers are zero. One word, so queueing reads every tier in one storage read.
    uint256 private _packedRiskTiers;
    /// @dev The timelock operation of each proposal, fixed when it is created.
    mapping(uint256 proposalId => bytes32) private _operationIds;
    mapping(uint256 proposalId => RiskDelay) private _riskDelays;

    /// @notice The tiers are empty, too many, not increasing in risk and delay, or out of range.
    error GovernorInvalidRiskTiers(uint256 index);
    /// @notice The DecisionLog address is zero.
    error GovernorInvalidDecisionLog();

    /**
     * @notice Emitted when a proposal is queued, with the delay its risk earned.
     * @param proposalId The proposal.
     * @param analysed Whether an analysis had been published by the time of queueing.
     * @param risk Risk of the latest analysis (0 when none).
     * @param tier 0 below the first tier, otherwise the 1-based tier reached.
     * @param delay Seconds until it may execute.
     */
    event ProposalRiskDelay(uint256 indexed proposalId, bool analysed, uint8 risk, uint8 tier, uint256 delay);

    /**
     * @notice Emitted when governance sets the risk tiers.
     * @param tiers The new tiers, by increasing risk.
     */
    event RiskTiersSet(RiskTier[] tiers);

    /**
     * @param decisionLog_ The log the analysis is read from.
     * @param tiers The initial risk tiers, see {setRiskTiers}.
     */
    constructor(IDecisionLog decisionLog_, RiskTier[] memory tiers) {
        if (address(decisionLog_) == address(0)) revert GovernorInvalidDecisionLog();
        _decisionLog = decisionLog_;
        _setRiskTiers(tiers);
    }

    /// @notice The DecisionLog the analysis is read from.
    function decisionLog() public view virtual returns (address) {
        return address(_decisionLog);
    }

    /// @notice The risk tiers, by increasing risk.
    function riskTiers() public view virtual returns (RiskTier[] memory tiers) {
        uint256 packed = _packedRiskTiers;
        tiers = new RiskTier[](_tierCount(packed));
        for (uint256 i = 0; i < tiers.length; ++i) {
            tiers[i] = _tierAt(packed, i);
        }
    }

    /**
     * @notice Sets the risk tiers. Only callable by governance.
     * @param tiers One to {MAX_RISK_TIERS} tiers, strictly increasing in `minRisk` (1 to 100),
     * non-decreasing in `delay`, each delay at most {MAX_RISK_DELAY}.
     */
    function setRiskTiers(RiskTier[] memory tiers) public virtual onlyGovernance {
        _setRiskTiers(tiers);
    }

    /**
     * @notice The delay a proposal queued now would get for an analysis of risk `risk` (or none, when
     * `analysed` is false), and the tier that sets it.
     */
    function riskDelayFor(bool analysed, uint8 risk) public view virtual returns (uint8 tier, uint32 delay) {
        uint256 packed = _packedRiskTiers;
        uint256 count = _tierCount(packed);
        tier = analysed ? 0 : uint8(count);
        for (uint256 i = count; analysed && i > 0; --i) {
            if (risk >= _tierAt(packed, i - 1).minRisk) {
                tier = uint8(i);
                break;
            }
        }
        uint256 minDelay = TimelockController(payable(timelock())).getMinDelay();
        uint256 tierDelay = tier == 0 ? 0 : _tierAt(packed, tier - 1).delay;
        delay = SafeCast.toUint32(tierDelay > minDelay ? tierDelay : minDelay);
    }

    /// @notice The delay `proposalId` earned when it was queued, and why.
    function proposalRiskDelay(uint256 proposalId) public view virtual returns (RiskDelay memory) {
        return _riskDelays[proposalId];
    }

    /// @dev {GovernorTimelockControl-state} read from this extension's operation ids.
    function state(uint256 proposalId) public view virtual override returns (ProposalState) {
        ProposalState current = Governor.state(proposalId);
        if (current != ProposalState.Queued) return current;
        TimelockController timelock_ = TimelockController(payable(timelock()));
        bytes32 operationId = _operationIds[proposalId];
        if (timelock_.isOperationPending(operationId)) return ProposalState.Queued;
        if (timelock_.isOperationDone(operationId)) return ProposalState.Executed;
        return ProposalState.Canceled;
    }

    /// @dev Fixes the proposal's timelock operation id at creation, so queueing does not store it.
    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal virtual override returns (uint256 proposalId) {
        proposalId = super._propose(targets, values, calldatas, description, proposer);
        bytes32 salt = _salt(keccak256(bytes(description)));
        _operationIds[proposalId] = TimelockController(payable(timelock())).hashOperationBatch(targets, values, calldatas, 0, salt);
        _riskDelays[proposalId].proposed = true;
    }

    /// @dev Schedules the operation with the delay the latest analysis earns.
    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal virtual override returns (uint48) {
        (bool analysed, uint8 risk) = _latestAnalysisRisk(proposalId);
        (uint8 tier, uint32 delay) = riskDelayFor(analysed, risk);

        _riskDelays[proposalId] = RiskDelay({delay: delay, tier: tier, risk: risk, analysed: analysed, queued: true, proposed: true});
        TimelockController(payable(timelock())).scheduleBatch(targets, values, calldatas, 0, _salt(descriptionHash), delay);

        emit ProposalRiskDelay(proposalId, analysed, risk, tier, delay);
        return SafeCast.toUint48(block.timestamp + delay);
    }

    /// @dev Executes the operation this extension scheduled, then clears its id.
    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal virtual override {
        TimelockController(payable(timelock())).executeBatch{value: msg.value}(targets, values, calldatas, 0, _salt(descriptionHash));
        delete _operationIds[proposalId];
    }

    /// @dev Cancels the timelock operation this extension scheduled, if it was.
    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal virtual override returns (uint256 proposalId) {
        proposalId = super._cancel(targets, values, calldatas, descriptionHash);
        TimelockController timelock_ = TimelockController(payable(timelock()));
        bytes32 operationId = _operationIds[proposalId];
        // The id is known from creation; only a queued proposal has an operation to cancel.
        if (timelock_.isOperationPending(operationId)) timelock_.cancel(operationId);
        delete _operationIds[proposalId];
    }

    /// @dev The latest analysis's risk; a log that cannot be read counts as no analysis (the longest delay).
    function _latestAnalysisRisk(uint256 proposalId) private view returns (bool analysed, uint8 risk) {
        try _decisionLog.latestRisk(proposalId, IDecisionLog.Kind.Analysis) returns (bool published, uint8 latest) {
            return published ? (true, latest > 100 ? 100 : latest) : (false, 0);
        } catch {
            return (false, 0);
        }
    }

    /// @dev The salt {GovernorTimelockControl} gives the operation of a proposal (its own is private).
    function _salt(bytes32 descriptionHash) private view returns (bytes32) {
        return bytes20(address(this)) ^ descriptionHash;
    }

    function _setRiskTiers(RiskTier[] memory tiers) private {
        if (tiers.length == 0 || tiers.length > MAX_RISK_TIERS) revert GovernorInvalidRiskTiers(tiers.length);
        uint256 packed;
        for (uint256 i = 0; i < tiers.length; ++i) {
            RiskTier memory t = tiers[i];
            bool ordered = i == 0 || (t.minRisk > tiers[i - 1].minRisk && t.delay >= tiers[i - 1].delay);
            if (!ordered || t.minRisk == 0 || t.minRisk > 100 || t.delay > MAX_RISK_DELAY) revert GovernorInvalidRiskTiers(i);
            packed |= (uint256(t.minRisk) | (uint256(t.delay) << 8)) << (40 * i);
        }
        _packedRiskTiers = packed;
        emit RiskTiersSet(tiers);
    }

    function _tierAt(uint256 packed, uint256 index) private pure returns (RiskTier memory) {
        uint256 word = packed >> (40 * index);
        return RiskTier({minRisk: uint8(word), delay: uint32(word >> 8)});
    }

    /// @dev Tiers are stored from index 0 and every tier's minimum risk is at least 1.
    function _tierCount(uint256 packed) private pure returns (uint256 count) {
        while (count < MAX_RISK_TIERS && uint8(packed >> (40 * count)) != 0) ++count;
    }
}
