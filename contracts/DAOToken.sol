// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/**
 * @title DAOToken
 * @notice The DAO's voting token: a fixed supply minted once, at deployment, to an allocation list.
 * There is no owner and no mint function, so the supply can never change afterwards.
 * @dev Votes are checkpointed by timestamp (ERC-6372 `mode=timestamp`), so the Governor's voting
 * delay and period are measured in seconds and behave the same on every chain.
 */
contract DAOToken is ERC20, ERC20Permit, ERC20Votes {
    /// @notice The allocation list is empty.
    error DAOTokenEmptyAllocation();
    /// @notice `recipients` and `amounts` have different lengths.
    error DAOTokenAllocationLengthMismatch(uint256 recipients, uint256 amounts);
    /// @notice The allocation at `index` gives zero tokens.
    error DAOTokenZeroAllocation(uint256 index);

    /**
     * @notice Emitted once per allocation entry at deployment.
     * @param recipient The holder receiving the allocation.
     * @param amount The number of tokens (in base units) minted to `recipient`.
     */
    event Allocated(address indexed recipient, uint256 amount);

    /**
     * @param name_ ERC-20 name, also the EIP-712 domain name used by permit.
     * @param symbol_ ERC-20 symbol.
     * @param recipients Holders of the initial (and only) supply.
     * @param amounts Amount for each recipient, in base units (18 decimals).
     */
    constructor(
        string memory name_,
        string memory symbol_,
        address[] memory recipients,
        uint256[] memory amounts
    ) ERC20(name_, symbol_) ERC20Permit(name_) {
        if (recipients.length == 0) revert DAOTokenEmptyAllocation();
        if (recipients.length != amounts.length) {
            revert DAOTokenAllocationLengthMismatch(recipients.length, amounts.length);
        }
        for (uint256 i = 0; i < recipients.length; ++i) {
            if (amounts[i] == 0) revert DAOTokenZeroAllocation(i);
            _mint(recipients[i], amounts[i]);
            emit Allocated(recipients[i], amounts[i]);
        }
    }

    /// @notice The current timepoint of the votes clock: the block timestamp (ERC-6372).
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice Describes the votes clock (ERC-6372): checkpoints are keyed by timestamp.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice The next permit nonce of `owner`.
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
